"""PyFlink Table API job: average temperature per sensor in 10-second windows.

Runs inside the JobManager through Flink's PythonDriver (see python-example.yaml):
this script only builds the pipeline and submits it; the job itself then runs on the
TaskManagers as ordinary JVM operators (no Python UDFs, so no Python workers there).
"""

from pyflink.table import DataTypes, EnvironmentSettings, Schema, TableDescriptor, TableEnvironment
from pyflink.table.expressions import col, lit
from pyflink.table.window import Tumble

t_env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
t_env.get_config().set("pipeline.name", "pyflink-sensor-stats")

# Synthetic readings: 10 per second from sensors 1..4, temperatures 15..30.
t_env.create_temporary_table(
    "readings",
    TableDescriptor.for_connector("datagen")
    .schema(
        Schema.new_builder()
        .column("sensor_id", DataTypes.INT())
        .column("temperature", DataTypes.DOUBLE())
        .column_by_expression("read_at", "PROCTIME()")
        .build()
    )
    .option("rows-per-second", "10")
    .option("fields.sensor_id.min", "1")
    .option("fields.sensor_id.max", "4")
    .option("fields.temperature.min", "15")
    .option("fields.temperature.max", "30")
    .build(),
)

# Results go to the TaskManagers' stdout, prefixed with "sensor-stats".
t_env.create_temporary_table(
    "sensor_stats",
    TableDescriptor.for_connector("print")
    .schema(
        Schema.new_builder()
        .column("sensor_id", DataTypes.INT())
        .column("window_start", DataTypes.TIMESTAMP(3))
        .column("readings", DataTypes.BIGINT())
        .column("avg_temperature", DataTypes.DOUBLE())
        .column("max_temperature", DataTypes.DOUBLE())
        .build()
    )
    .option("print-identifier", "sensor-stats")
    .build(),
)

stats = (
    t_env.from_path("readings")
    .window(Tumble.over(lit(10).seconds).on(col("read_at")).alias("w"))
    .group_by(col("w"), col("sensor_id"))
    .select(
        col("sensor_id"),
        col("w").start.alias("window_start"),
        col("sensor_id").count.alias("readings"),
        col("temperature").avg.alias("avg_temperature"),
        col("temperature").max.alias("max_temperature"),
    )
)

# Submit and return: in application mode the job keeps running after the script ends.
stats.execute_insert("sensor_stats")
