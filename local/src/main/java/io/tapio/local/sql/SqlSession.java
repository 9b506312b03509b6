package io.tapio.local.sql;

/**
 * Where {@code tapio sql}'s statements run: in the resident SQL service ({@link ServiceSession}),
 * or in this process ({@link InProcessSession}).
 */
public interface SqlSession extends AutoCloseable {
    /**
     * Runs one statement and collects all of its answer.
     *
     * @throws BadStatementException when the planner refuses the statement
     * @throws SqlServiceException when the SQL service stopped answering
     */
    SqlAnswer run(String statement) throws Exception;

    /** Where the statements run, for a person: "the SQL service on 127.0.0.1:8083", "this process". */
    String where();

    @Override
    void close();
}
