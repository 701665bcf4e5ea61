package flinkop.examples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

/**
 * Runs a Flink SQL script as a single streaming job.
 *
 * <p>Usage: {@code SqlRunner <path to script.sql>}
 *
 * <ul>
 *   <li>{@code SET 'key' = 'value';} sets a configuration option for the job (name,
 *       checkpointing, ...). It applies to everything that follows it.
 *   <li>{@code INSERT INTO ...;} statements are collected and submitted together, as one
 *       statement set, so all of them run in one Flink job.
 *   <li>Every other statement ({@code CREATE TABLE}, {@code CREATE VIEW}, {@code CREATE
 *       FUNCTION}, {@code USE}, ...) is executed right away, in order.
 *   <li>{@code BEGIN STATEMENT SET;} and {@code END;} are accepted and ignored, so scripts
 *       written for the SQL client run unchanged.
 * </ul>
 *
 * <p>Statements end with a semicolon. Line comments ({@code --}) and block comments are
 * removed, except optimizer hints ({@code /*+ ... *}{@code /}); semicolons inside quoted
 * strings or identifiers do not end a statement.
 */
public final class SqlRunner {

    private static final Pattern SET_STATEMENT =
            Pattern.compile("SET\\s+'((?:[^']|'')*)'\\s*=\\s*'((?:[^']|'')*)'", Pattern.CASE_INSENSITIVE);
    private static final Pattern STATEMENT_SET_MARKER =
            Pattern.compile("BEGIN\\s+STATEMENT\\s+SET|END", Pattern.CASE_INSENSITIVE);

    private SqlRunner() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("Usage: SqlRunner <script.sql>");
            System.exit(2);
        }
        String script = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        List<String> statements = splitStatements(script);

        TableEnvironment tableEnv = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        StatementSet inserts = tableEnv.createStatementSet();
        int insertCount = 0;

        for (String statement : statements) {
            String keyword = statement.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
            Matcher set = SET_STATEMENT.matcher(statement);
            if (set.matches()) {
                String key = unquote(set.group(1));
                String value = unquote(set.group(2));
                tableEnv.getConfig().set(key, value);
                System.out.println("SET " + key + " = " + value);
            } else if (keyword.equals("SET")) {
                throw new IllegalArgumentException(
                        "Expected SET 'key' = 'value', found: " + statement);
            } else if (STATEMENT_SET_MARKER.matcher(statement).matches()) {
                // All INSERTs form one statement set anyway.
            } else if (keyword.equals("INSERT")) {
                inserts.addInsertSql(statement);
                insertCount++;
            } else {
                System.out.println("Executing: " + firstLine(statement));
                tableEnv.executeSql(statement);
            }
        }

        if (insertCount == 0) {
            System.out.println("The script has no INSERT statement: nothing to run.");
            return;
        }
        System.out.println("Submitting " + insertCount + " INSERT statement(s) as one job");
        TableResult result = inserts.execute();
        result.getJobClient()
                .ifPresent(client -> System.out.println("Submitted job " + client.getJobID()));
    }

    /** Splits a script into statements, dropping comments, honouring quotes. */
    static List<String> splitStatements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            char next = i + 1 < n ? script.charAt(i + 1) : '\0';
            if (c == '\'' || c == '`' || c == '"') {
                // Copy a quoted string or identifier; a doubled quote is an escaped quote.
                int end = i + 1;
                while (end < n) {
                    if (script.charAt(end) == c) {
                        if (end + 1 < n && script.charAt(end + 1) == c) {
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                end = Math.min(end + 1, n);
                current.append(script, i, end);
                i = end;
            } else if (c == '-' && next == '-') {
                int end = script.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (c == '/' && next == '*') {
                int end = script.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                boolean hint = i + 2 < n && script.charAt(i + 2) == '+';
                current.append(hint ? script.substring(i, end) : " ");
                i = end;
            } else if (c == ';') {
                addStatement(statements, current);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        addStatement(statements, current);
        return statements;
    }

    private static void addStatement(List<String> statements, StringBuilder text) {
        String statement = text.toString().trim();
        if (!statement.isEmpty()) {
            statements.add(statement);
        }
        text.setLength(0);
    }

    private static String unquote(String quoted) {
        return quoted.replace("''", "'");
    }

    private static String firstLine(String statement) {
        int newline = statement.indexOf('\n');
        return newline < 0 ? statement : statement.substring(0, newline) + " ...";
    }
}
