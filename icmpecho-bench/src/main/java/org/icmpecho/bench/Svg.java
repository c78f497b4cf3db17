package org.icmpecho.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the scaling curve as a self-contained SVG (no dependency): round trips/s and CPU µs per
 * round trip against the number of targets (log scale), one line per socket count. Input: a TSV
 * with a header line and the columns {@code targets sockets rate cpu_us_per_rt load}.
 */
final class Svg {
  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
  private static final int W = 460, H = 320, L = 70, R = 20, T = 40, B = 50;

  private Svg() {}

  record Point(double targets, double rate, double cpu) {}

  static void plot(String in, String out) throws IOException {
    Map<String, List<Point>> series = new TreeMap<>();
    List<String> lines = Files.readAllLines(Path.of(in));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.trim().split("\t", -1);
      if (f.length < 4) continue;
      series
          .computeIfAbsent(f[1], k -> new ArrayList<>())
          .add(
              new Point(
                  Double.parseDouble(f[0]), Double.parseDouble(f[2]), Double.parseDouble(f[3])));
    }
    double maxT = 1, maxRate = 1, maxCpu = 1;
    for (List<Point> ps : series.values()) {
      for (Point p : ps) {
        maxT = Math.max(maxT, p.targets);
        maxRate = Math.max(maxRate, p.rate);
        maxCpu = Math.max(maxCpu, p.cpu);
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(2 * W)
        .append("\" height=\"")
        .append(H)
        .append(
            "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    panel(sb, 0, "Round trips/s (engine, steady state)", series, maxT, niceCeil(maxRate), true);
    panel(sb, W, "CPU µs per round trip (whole process)", series, maxT, niceCeil(maxCpu), false);
    sb.append("</svg>\n");
    Files.writeString(Path.of(out), sb);
  }

  private static void panel(
      StringBuilder sb,
      int x0,
      String title,
      Map<String, List<Point>> series,
      double maxT,
      double maxY,
      boolean rate) {
    int pw = W - L - R, ph = H - T - B;
    sb.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"20\" font-weight=\"bold\">%s</text>%n",
            x0 + L,
            title));
    sb.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n",
            x0 + L,
            T,
            pw,
            ph));
    double lx = Math.log(Math.max(2, maxT));
    for (double t = 1; t <= maxT * 1.01; t *= 4) {
      double x = x0 + L + pw * Math.log(t) / lx;
      sb.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/><text x=\"%.1f\" y=\"%d\" "
                  + "text-anchor=\"middle\">%s</text>%n",
              x,
              T,
              x,
              T + ph,
              x,
              T + ph + 16,
              label(t)));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">targets in flight (log)</text>%n",
            x0 + L + pw / 2,
            H - 8));
    for (int k = 0; k <= 4; k++) {
      double v = maxY * k / 4;
      double y = T + ph - ph * k / 4.0;
      sb.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" "
                  + "text-anchor=\"end\">%s</text>%n",
              x0 + L,
              y,
              x0 + L + pw,
              y,
              x0 + L - 4,
              y + 4,
              rate ? label(v) : String.format(Locale.ROOT, "%.1f", v)));
    }
    int c = 0;
    for (Map.Entry<String, List<Point>> e : series.entrySet()) {
      String color = COLORS[c % COLORS.length];
      StringBuilder pts = new StringBuilder();
      List<Point> ps = new ArrayList<>(e.getValue());
      ps.sort((a, b) -> Double.compare(a.targets, b.targets));
      for (Point p : ps) {
        double x = x0 + L + pw * Math.log(p.targets) / lx;
        double y = T + ph - ph * (rate ? p.rate : p.cpu) / maxY;
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        sb.append(
            String.format(
                Locale.ROOT,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n",
                x,
                y,
                color));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
              pts.toString().trim(),
              color));
      sb.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s socket%s</text>%n",
              x0 + L + 8,
              T + 16 + 16 * c,
              color,
              e.getKey(),
              e.getKey().equals("1") ? "" : "s"));
      c++;
    }
  }

  private static String label(double v) {
    if (v >= 1_000_000) return String.format(Locale.ROOT, "%.1fM", v / 1e6);
    if (v >= 1000) return String.format(Locale.ROOT, "%.0fk", v / 1e3);
    return String.format(Locale.ROOT, "%.0f", v);
  }

  private static double niceCeil(double v) {
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 4, 5, 8, 10}) {
      if (m * p >= v) return m * p;
    }
    return 10 * p;
  }
}
