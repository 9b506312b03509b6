package io.tapio.cli;

import io.tapio.ebpf.abi.SafeText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table with right-aligned numbers, for terminal output. Cells may hold names from
 * outside (a workload's, a process's): each is shown through {@link SafeText}.
 */
final class Table {
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        this.header = header;
    }

    Table row(Object... cells) {
        rows.add(Arrays.stream(cells).map(c -> SafeText.of(String.valueOf(c))).toArray(String[]::new));
        return this;
    }

    @Override
    public String toString() {
        int[] widths = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            widths[c] = header[c].length();
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths);
        for (String[] row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        for (int c = 0; c < cells.length; c++) {
            String cell = cells[c];
            String pad = " ".repeat(widths[c] - cell.length());
            // the first column is a label: left-aligned; the others are figures
            out.append(c == 0 ? cell + pad : pad + cell).append(c == cells.length - 1 ? "" : "   ");
        }
        out.append('\n');
    }
}
