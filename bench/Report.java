import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Turns the one-second slices of a benchmark run into an HTML page with its curves:
 * throughput, p50 and p99 of every second of every target, warm-up included, so that a
 * reader sees how a run evolved and not only its averages. A single-file program:
 * {@code java bench/Report.java <slices> <report.html> <title>}.
 * <p>
 * A slice line: {@code target phase second requests duration_us p50_us p90_us p99_us max_us errors}.
 */
public class Report {

	record Slice(String phase, double requestsPerSecond, double p50Ms, double p99Ms, long errors) {
	}

	private static final String[] COLORS = { "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b" };

	private static final int WIDTH = 900, HEIGHT = 260, MARGIN = 50;

	public static void main(String[] args) throws IOException {
		Map<String, List<Slice>> byTarget = new LinkedHashMap<>();
		for (String line : Files.readAllLines(Path.of(args[0]))) {
			String[] f = line.trim().split("\\s+");
			double seconds = Long.parseLong(f[4]) / 1e6;
			byTarget.computeIfAbsent(f[0], (t) -> new ArrayList<>())
				.add(new Slice(f[1], Long.parseLong(f[3]) / seconds, Long.parseLong(f[5]) / 1000.0,
						Long.parseLong(f[7]) / 1000.0, Long.parseLong(f[9])));
		}
		StringBuilder html = new StringBuilder("<!doctype html><meta charset=utf-8><title>").append(args[2])
			.append("</title><body style='font-family:sans-serif'><h1>")
			.append(args[2])
			.append("</h1><p>One point per second of load; warm-up, then the measured rounds.</p>");
		html.append(chart("requests/s", byTarget, Slice::requestsPerSecond));
		html.append(chart("p50 latency (ms)", byTarget, Slice::p50Ms));
		html.append(chart("p99 latency (ms)", byTarget, Slice::p99Ms));
		html.append(table(byTarget)).append("</body>");
		Files.writeString(Path.of(args[1]), html);
	}

	private static String chart(String title, Map<String, List<Slice>> byTarget, ToDoubleFunction<Slice> value) {
		int points = byTarget.values().stream().mapToInt(List::size).max().orElse(1);
		double top = byTarget.values().stream().flatMap(List::stream).mapToDouble(value).max().orElse(1) * 1.1;
		StringBuilder svg = new StringBuilder("<h2>").append(title)
			.append("</h2><svg width=" + (WIDTH + 2 * MARGIN) + " height=" + (HEIGHT + 2 * MARGIN) + ">");
		svg.append(axes(points, top));
		int color = 0;
		for (Map.Entry<String, List<Slice>> target : byTarget.entrySet()) {
			String stroke = COLORS[color++ % COLORS.length];
			StringBuilder line = new StringBuilder();
			List<Slice> slices = target.getValue();
			for (int i = 0; i < slices.size(); i++) {
				line.append(x(i, points)).append(',').append(y(value.applyAsDouble(slices.get(i)), top)).append(' ');
			}
			svg.append("<polyline fill=none stroke-width=1.5 stroke='" + stroke + "' points='" + line + "'/>");
			svg.append("<text x=" + (MARGIN + 10 + 150 * (color - 1)) + " y=20 fill='" + stroke + "'>" + target.getKey()
					+ "</text>");
		}
		return svg.append("</svg>").toString();
	}

	private static String axes(int points, double top) {
		StringBuilder svg = new StringBuilder();
		svg.append("<line x1=" + MARGIN + " y1=" + (MARGIN + HEIGHT) + " x2=" + (MARGIN + WIDTH) + " y2="
				+ (MARGIN + HEIGHT) + " stroke=black/>");
		svg.append("<line x1=" + MARGIN + " y1=" + MARGIN + " x2=" + MARGIN + " y2=" + (MARGIN + HEIGHT)
				+ " stroke=black/>");
		for (int tick = 0; tick <= 4; tick++) {
			double v = top * tick / 4;
			svg.append("<text x=2 y=" + (y(v, top) + 4) + " font-size=11>" + String.format("%.1f", v) + "</text>");
		}
		svg.append("<text x=" + (MARGIN + WIDTH - 120) + " y=" + (MARGIN + HEIGHT + 30) + " font-size=11>seconds of load ("
				+ points + ")</text>");
		return svg.toString();
	}

	private static String table(Map<String, List<Slice>> byTarget) {
		StringBuilder table = new StringBuilder(
				"<h2>Seconds per phase</h2><table border=1 cellpadding=4><tr><th>target<th>phase<th>seconds<th>mean requests/s<th>worst p99 (ms)<th>errors");
		byTarget.forEach((target, slices) -> slices.stream().map(Slice::phase).distinct().forEach((phase) -> {
			List<Slice> of = slices.stream().filter((s) -> s.phase().equals(phase)).toList();
			table.append(String.format("<tr><td>%s<td>%s<td>%d<td>%.0f<td>%.2f<td>%d", target, phase, of.size(),
					of.stream().mapToDouble(Slice::requestsPerSecond).average().orElse(0),
					of.stream().mapToDouble(Slice::p99Ms).max().orElse(0),
					of.stream().mapToLong(Slice::errors).sum()));
		}));
		return table.append("</table>").toString();
	}

	private static double x(int index, int points) {
		return MARGIN + WIDTH * (points > 1 ? (double) index / (points - 1) : 0);
	}

	private static double y(double value, double top) {
		return MARGIN + HEIGHT - HEIGHT * value / top;
	}

}
