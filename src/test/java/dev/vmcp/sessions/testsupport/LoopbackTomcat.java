package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.loader.WebappClassLoaderBase;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * An embedded Tomcat that serves one servlet, behind optional filters, on
 * {@code 127.0.0.1}: the hosting of the MCP servers that tests reach over real HTTP.
 * Servlet and filters support async processing, which the MCP SDK needs for its SSE
 * streams. Each instance works in a temporary directory of its own, removed on
 * {@link #close()}.
 */
public final class LoopbackTomcat implements AutoCloseable {

	/** The only address the server listens on. */
	public static final String LOOPBACK_ADDRESS = "127.0.0.1";

	private static final String SERVLET_NAME = "endpoint";

	private static final String FILTER_NAME_PREFIX = "filter-";

	/**
	 * Tomcat's leak detection is meant for redeployed web apps; here it only warns about
	 * the Reactor threads the SDK starts. Held so that the level setting is not lost with
	 * a garbage-collected logger.
	 */
	private static final Logger TOMCAT_LEAK_DETECTION_LOGGER = silence(WebappClassLoaderBase.class);

	private final Tomcat tomcat;

	private final Path baseDir;

	private LoopbackTomcat(Tomcat tomcat, Path baseDir) {
		this.tomcat = tomcat;
		this.baseDir = baseDir;
	}

	/**
	 * Start serving.
	 * @param port the port to listen on, {@code 0} for a free one
	 * @param path the path the servlet is mapped to, e.g. {@code /mcp}
	 * @param servlet the servlet
	 * @param filters filters in front of every request, first one outermost
	 * @return the running server
	 * @throws IllegalStateException if Tomcat does not start or cannot bind the port
	 */
	public static LoopbackTomcat start(int port, String path, Servlet servlet, List<? extends Filter> filters) {
		Path baseDir = createTempDirectory();
		Tomcat tomcat = new Tomcat();
		tomcat.setSilent(true);
		tomcat.setBaseDir(baseDir.toString());
		tomcat.setConnector(loopbackConnector(port));
		StandardContext context = (StandardContext) tomcat.addContext("", null);
		// Leak detection needs JDK internals opened, else it warns on every stop
		context.setClearReferencesThreadLocals(false);
		context.setClearReferencesRmiTargets(false);
		addServlet(context, path, servlet);
		for (int i = 0; i < filters.size(); i++) {
			addFilter(context, FILTER_NAME_PREFIX + i, filters.get(i));
		}
		LoopbackTomcat server = new LoopbackTomcat(tomcat, baseDir);
		try {
			server.listen(port);
		}
		catch (RuntimeException ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	/**
	 * The port listened on; the actual one when started with {@code 0}.
	 * @return the local port
	 */
	public int port() {
		return this.tomcat.getConnector().getLocalPort();
	}

	/**
	 * Stop serving and unbind the port at once.
	 * @throws IllegalStateException if Tomcat fails to stop
	 */
	@Override
	public void close() {
		try {
			this.tomcat.stop();
			// Only destroy unbinds the port; until then connections would queue
			this.tomcat.destroy();
		}
		catch (LifecycleException ex) {
			throw new IllegalStateException("Could not stop Tomcat", ex);
		}
		finally {
			deleteRecursively(this.baseDir);
		}
	}

	private void listen(int port) {
		try {
			this.tomcat.start();
		}
		catch (LifecycleException ex) {
			throw new IllegalStateException("Could not start Tomcat on " + LOOPBACK_ADDRESS + ":" + port, ex);
		}
		// Tomcat only logs a failure to bind the port, so check it listens
		if (this.tomcat.getConnector().getState() != LifecycleState.STARTED) {
			throw new IllegalStateException("Could not listen on " + LOOPBACK_ADDRESS + ":" + port);
		}
	}

	private static Connector loopbackConnector(int port) {
		Connector connector = new Connector();
		connector.setPort(port);
		connector.setProperty("address", LOOPBACK_ADDRESS);
		return connector;
	}

	private static void addServlet(Context context, String path, Servlet servlet) {
		Wrapper wrapper = Tomcat.addServlet(context, SERVLET_NAME, servlet);
		wrapper.setAsyncSupported(true);
		context.addServletMappingDecoded(path, SERVLET_NAME);
	}

	private static void addFilter(Context context, String name, Filter filter) {
		FilterDef definition = new FilterDef();
		definition.setFilterName(name);
		definition.setFilter(filter);
		definition.setAsyncSupported("true");
		context.addFilterDef(definition);
		FilterMap mapping = new FilterMap();
		mapping.setFilterName(name);
		mapping.addURLPattern("/*");
		context.addFilterMap(mapping);
	}

	private static Logger silence(Class<?> source) {
		Logger logger = Logger.getLogger(source.getName());
		logger.setLevel(Level.SEVERE);
		return logger;
	}

	private static Path createTempDirectory() {
		try {
			return Files.createTempDirectory("loopback-tomcat-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void deleteRecursively(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// Leftovers in the temp directory are harmless
		}
	}

}
