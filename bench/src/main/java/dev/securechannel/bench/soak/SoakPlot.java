package dev.securechannel.bench.soak;

import java.util.List;
import java.util.Locale;

/**
 * Draws the watched series of a soak as an SVG page, one small panel per series against time,
 * each scaled from zero to its own maximum, with the warm-up marked: a flat line is what a
 * healthy run looks like, and growth shows at a glance.
 */
final class SoakPlot {

    private static final int PANEL_WIDTH = 460;
    private static final int PANEL_HEIGHT = 170;
    private static final int MARGIN = 48;
    private static final int COLUMNS = 2;

    private SoakPlot() {
    }

    /**
     * @param title   the page title (stack, duration, date)
     * @param seconds sample times
     * @param series  the series to draw, by name
     * @param values  their values, in the order of {@code series}
     * @param warmUp  where the warm-up ends, in seconds
     */
    static String svg(String title, List<Double> seconds, List<String> series, List<List<Double>> values, double warmUp) {
        int rows = (series.size() + COLUMNS - 1) / COLUMNS;
        int width = COLUMNS * (PANEL_WIDTH + MARGIN) + MARGIN;
        int height = rows * (PANEL_HEIGHT + MARGIN) + MARGIN + 20;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\">%s</text>%n", MARGIN, escape(title)));
        double end = seconds.isEmpty() ? 1 : Math.max(1, seconds.get(seconds.size() - 1));
        for (int i = 0; i < series.size(); i++) {
            int x0 = MARGIN + (i % COLUMNS) * (PANEL_WIDTH + MARGIN);
            int y0 = 40 + MARGIN / 2 + (i / COLUMNS) * (PANEL_HEIGHT + MARGIN);
            panel(svg, series.get(i), seconds, values.get(i), end, warmUp, x0, y0);
        }
        return svg.append("</svg>\n").toString();
    }

    private static void panel(StringBuilder svg, String name, List<Double> seconds, List<Double> values, double end, double warmUp,
                              int x0, int y0) {
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        boolean bytes = name.endsWith("_bytes");
        double scale = bytes ? 1024 * 1024 : 1;
        double top = max <= 0 ? 1 : max;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s (max %,.1f%s)</text>%n", x0, y0 - 6, escape(name),
                max / scale, bytes ? " MiB" : ""));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
                x0, y0, PANEL_WIDTH, PANEL_HEIGHT));
        double warmUpX = x0 + PANEL_WIDTH * Math.min(1, warmUp / end);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ccc\" stroke-dasharray=\"4 3\"/>%n",
                warmUpX, y0, warmUpX, y0 + PANEL_HEIGHT));
        svg.append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"");
        for (int i = 0; i < seconds.size(); i++) {
            double x = x0 + PANEL_WIDTH * seconds.get(i) / end;
            double y = y0 + PANEL_HEIGHT * (1 - values.get(i) / top);
            svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        svg.append("\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#666\">0</text>%n", x0 - 14, y0 + PANEL_HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#666\" text-anchor=\"end\">%,.0f s</text>%n",
                x0 + PANEL_WIDTH, y0 + PANEL_HEIGHT + 14, end));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
