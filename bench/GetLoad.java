import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * Closed-loop load generator: {@code concurrency} threads each send {@code GET <url>},
 * wait for the whole answer, and send the next one, until {@code seconds} have passed.
 * <p>
 * Run it as a single-file source program (JDK 21 or newer, no dependencies):
 *
 * <pre>
 * java bench/GetLoad.java &lt;url&gt; &lt;concurrency&gt; &lt;seconds&gt; [&lt;warm-up seconds&gt; [&lt;command&gt; [&lt;arg&gt;...]]]
 * java bench/GetLoad.java http://127.0.0.1:8080/api/v1/sessions/ID 16 30
 * java bench/GetLoad.java http://127.0.0.1:8080/api/v1/sessions/ID 16 30 10 redis-cli CONFIG RESETSTAT
 * </pre>
 *
 * The optional warm-up runs the same load first, in this JVM, so that the load
 * generator's own JIT compilation is over when the measured run starts (a fresh JVM for
 * the measured run would spend its first seconds compiling, on the same cores as the
 * service). The optional command runs between warm-up and measured run; the benchmark
 * script uses it to zero the Redis counters and take CPU readings at that moment. The
 * load generator exits with status 3 if it fails.
 * <p>
 * Every latency is kept (one {@code long[]} per thread, merged and sorted at the end)
 * because HdrHistogram is not available; at a few thousand requests per second that is
 * a few MB. Any answer other than 200, and any I/O failure, is an error. The latency
 * percentiles cover every request that got an HTTP answer, errors included, so that a
 * run with errors is not made to look faster; a trustworthy run has 0 errors.
 * <p>
 * The output is one {@code name: value} line per figure so that scripts can pick
 * figures out of it.
 */
public class GetLoad {

	/** Width of the throughput slices printed to show whether a run was steady. */
	private static final int SLICE_SECONDS = 5;

	public static void main(String[] args) throws Exception {
		if (args.length < 3) {
			System.err.println("usage: java GetLoad.java <url> <concurrency> <seconds> "
					+ "[<warm-up seconds> [<command to run after the warm-up> [<arg>...]]]");
			System.exit(2);
		}
		URI uri = URI.create(args[0]);
		int concurrency = Integer.parseInt(args[1]);
		int seconds = Integer.parseInt(args[2]);
		int warmup = (args.length > 3) ? Integer.parseInt(args[3]) : 0;
		List<String> afterWarmup = (args.length > 4) ? List.of(args).subList(4, args.length) : List.of();
		if (concurrency < 1 || seconds < 1 || warmup < 0) {
			System.err.println("concurrency and seconds must be positive, warm-up seconds not negative");
			System.exit(2);
		}

		// One client shared by all threads, HTTP/1.1 only: its pool then holds one
		// keep-alive connection per thread, as a fleet of gateway workers would. The
		// connections opened by the warm-up are reused by the measured run.
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();

		if (warmup > 0) {
			Phase warm = Phase.run(client, request, concurrency, warmup);
			print("warm-up requests", Long.toString(warm.requests()));
			print("warm-up errors", Long.toString(warm.errors()));
			print("warm-up requests/s by " + SLICE_SECONDS + " s", warm.slices());
		}
		if (!afterWarmup.isEmpty()) {
			Process hook = new ProcessBuilder(afterWarmup).redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.redirectError(ProcessBuilder.Redirect.INHERIT)
				.start();
			if (hook.waitFor() != 0) {
				System.err.println("the command after the warm-up failed: " + afterWarmup);
				System.exit(3);
			}
		}
		Phase measured = Phase.run(client, request, concurrency, seconds);
		measured.report();
	}

	/** One timed run of the closed loop. */
	record Phase(Worker[] workers, int seconds, long elapsedNanos, long cpuNanos) {

		static Phase run(HttpClient client, HttpRequest request, int concurrency, int seconds)
				throws InterruptedException {
			Worker[] workers = new Worker[concurrency];
			Thread[] threads = new Thread[concurrency];
			CountDownLatch ready = new CountDownLatch(concurrency);
			CountDownLatch go = new CountDownLatch(1);
			long[] deadline = new long[1];
			for (int i = 0; i < concurrency; i++) {
				workers[i] = new Worker(client, request, ready, go, deadline, seconds);
				threads[i] = new Thread(workers[i], "load-" + i);
				threads[i].start();
			}
			ready.await();
			long cpuBefore = processCpuNanos();
			long start = System.nanoTime();
			deadline[0] = start + Duration.ofSeconds(seconds).toNanos();
			go.countDown(); // the latch publishes deadline[0] to the workers
			for (Thread thread : threads) {
				thread.join();
			}
			long elapsed = System.nanoTime() - start;
			long cpu = (cpuBefore < 0) ? -1 : processCpuNanos() - cpuBefore;
			return new Phase(workers, seconds, elapsed, cpu);
		}

		/** Failures got no HTTP answer, so they have no latency; they are requests all the same. */
		long requests() {
			return Arrays.stream(this.workers).mapToLong((w) -> w.count + w.failures).sum();
		}

		long errors() {
			return Arrays.stream(this.workers).mapToLong((w) -> w.non200 + w.failures).sum();
		}

		/**
		 * Throughput of each slice of the run: a rising start means the warm-up was too
		 * short, a dip that something else took the CPU.
		 */
		String slices() {
			StringBuilder line = new StringBuilder();
			for (int from = 0; from < this.seconds; from += SLICE_SECONDS) {
				int to = Math.min(from + SLICE_SECONDS, this.seconds);
				long n = 0;
				for (Worker worker : this.workers) {
					for (int second = from; second < to; second++) {
						n += worker.perSecond[second];
					}
				}
				line.append(line.isEmpty() ? "" : " ").append(Math.round(n / (double) (to - from)));
			}
			return line.toString();
		}

		void report() {
			long non200 = 0;
			long failures = 0;
			int answered = 0;
			TreeMap<Integer, Long> statuses = new TreeMap<>();
			String firstFailure = null;
			for (Worker worker : this.workers) {
				answered += worker.count;
				non200 += worker.non200;
				failures += worker.failures;
				worker.otherStatuses.forEach((status, n) -> statuses.merge(status, n, Long::sum));
				if (firstFailure == null) {
					firstFailure = worker.firstFailure;
				}
			}
			long[] all = new long[answered];
			int at = 0;
			for (Worker worker : this.workers) {
				System.arraycopy(worker.latencies, 0, all, at, worker.count);
				at += worker.count;
			}
			Arrays.sort(all);

			double elapsed = this.elapsedNanos / 1e9;
			print("requests", Long.toString(requests()));
			print("errors", errors() + "  (non-200 answers: " + non200 + ", I/O failures: " + failures + ")");
			if (!statuses.isEmpty()) {
				print("non-200 statuses", statuses.toString());
			}
			if (firstFailure != null) {
				print("first I/O failure", firstFailure);
			}
			print("elapsed", fmt(elapsed, 3) + " s");
			print("requests/s", fmt(requests() / elapsed, 1));
			print("requests/s by " + SLICE_SECONDS + " s", slices());
			if (answered > 0) {
				print("latency p50", ms(percentile(all, 50.0)));
				print("latency p90", ms(percentile(all, 90.0)));
				print("latency p99", ms(percentile(all, 99.0)));
				print("latency p99.9", ms(percentile(all, 99.9)));
				print("latency max", ms(all[answered - 1]));
				print("latency mean", ms(Arrays.stream(all).sum() / (double) answered));
			}
			if (this.cpuNanos >= 0) {
				print("load generator CPU", fmt(this.cpuNanos / 1e9, 1) + " s");
			}
		}

	}

	/** Nearest-rank percentile: the smallest latency that p% of the requests did not exceed. */
	private static long percentile(long[] sorted, double p) {
		int rank = (int) Math.ceil(p / 100.0 * sorted.length);
		return sorted[Math.max(0, rank - 1)];
	}

	private static long processCpuNanos() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		return -1;
	}

	private static void print(String name, String value) {
		System.out.printf(Locale.ROOT, "%-26s %s%n", name + ":", value);
	}

	private static String ms(double nanos) {
		return fmt(nanos / 1e6, 3) + " ms";
	}

	private static String fmt(double value, int decimals) {
		return String.format(Locale.ROOT, "%." + decimals + "f", value);
	}

	/** One closed-loop client: the next request leaves when the previous answer is in. */
	static final class Worker implements Runnable {

		private final HttpClient client;

		private final HttpRequest request;

		private final CountDownLatch ready;

		private final CountDownLatch go;

		private final long[] deadline;

		long[] latencies = new long[1 << 16];

		int count;

		long non200;

		long failures;

		final TreeMap<Integer, Long> otherStatuses = new TreeMap<>();

		String firstFailure;

		/** Answers and failures by the second of the run in which they came in. */
		final long[] perSecond;

		private long start;

		Worker(HttpClient client, HttpRequest request, CountDownLatch ready, CountDownLatch go, long[] deadline,
				int seconds) {
			this.client = client;
			this.request = request;
			this.ready = ready;
			this.go = go;
			this.deadline = deadline;
			this.perSecond = new long[seconds];
		}

		@Override
		public void run() {
			this.ready.countDown();
			try {
				this.go.await();
			}
			catch (InterruptedException ex) {
				return;
			}
			long end = this.deadline[0];
			this.start = end - Duration.ofSeconds(this.perSecond.length).toNanos();
			while (System.nanoTime() < end) {
				long sent = System.nanoTime();
				try {
					// discarding() still reads the whole body off the connection before returning.
					HttpResponse<Void> response = this.client.send(this.request, HttpResponse.BodyHandlers.discarding());
					record(sent, System.nanoTime());
					if (response.statusCode() != 200) {
						this.non200++;
						this.otherStatuses.merge(response.statusCode(), 1L, Long::sum);
					}
				}
				catch (InterruptedException ex) {
					return;
				}
				catch (Exception ex) {
					this.failures++;
					count(System.nanoTime());
					if (this.firstFailure == null) {
						this.firstFailure = ex.toString();
					}
				}
			}
		}

		private void record(long sent, long answered) {
			if (this.count == this.latencies.length) {
				this.latencies = Arrays.copyOf(this.latencies, this.latencies.length * 2);
			}
			this.latencies[this.count++] = answered - sent;
			count(answered);
		}

		/** The last request of each client ends after the deadline; it counts in the last second. */
		private void count(long at) {
			int second = (int) ((at - this.start) / 1_000_000_000L);
			this.perSecond[Math.min(second, this.perSecond.length - 1)]++;
		}

	}

}
