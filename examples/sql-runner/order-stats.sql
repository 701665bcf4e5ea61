-- Order statistics from a generated stream of orders.
--
-- Two results from one source, in one Flink job (SqlRunner submits all INSERTs together):
--   * order_stats: per product and 10-second window, printed to the TaskManager's stdout
--   * product_totals: running totals per product, kept in state (sent to a blackhole sink)

SET 'pipeline.name' = 'sql-order-stats';

-- Synthetic input: 5 orders per second for products 1..5.
CREATE TEMPORARY TABLE orders (
  order_id   BIGINT,
  product_id INT,
  quantity   INT,
  price      DECIMAL(8, 2),
  order_time AS PROCTIME()
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '5',
  'fields.product_id.min' = '1',
  'fields.product_id.max' = '5',
  'fields.quantity.min' = '1',
  'fields.quantity.max' = '10',
  'fields.price.min' = '1',
  'fields.price.max' = '100'
);

CREATE TEMPORARY TABLE order_stats (
  window_start TIMESTAMP(3),
  window_end   TIMESTAMP(3),
  product_id   INT,
  orders       BIGINT,
  units        INT,
  revenue      DECIMAL(38, 2)
) WITH (
  'connector' = 'print',
  'print-identifier' = 'order-stats'
);

CREATE TEMPORARY TABLE product_totals (
  product_id INT,
  orders     BIGINT,
  units      BIGINT,
  PRIMARY KEY (product_id) NOT ENFORCED
) WITH (
  'connector' = 'blackhole'
);

INSERT INTO order_stats
SELECT window_start, window_end, product_id,
       COUNT(*), SUM(quantity), SUM(quantity * price)
FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(order_time), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, product_id;

INSERT INTO product_totals
SELECT product_id, COUNT(*), SUM(CAST(quantity AS BIGINT))
FROM orders
GROUP BY product_id;
