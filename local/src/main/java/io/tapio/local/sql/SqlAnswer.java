package io.tapio.local.sql;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a statement answered, whichever engine ran it: the columns' names and the rows, each
 * value as JSON (numbers, text, times in ISO-8601 UTC, nested rows, maps and lists as objects and
 * arrays), so that {@code tapio sql} prints the same whether the SQL service or this process ran it.
 */
public record SqlAnswer(List<String> columns, List<List<JsonNode>> rows) {}
