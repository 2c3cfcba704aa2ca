package dev.vmcp.sessions.backend;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured backends, by name.
 */
public final class BackendCatalog {

	private final Map<String, BackendDefinition> byName = new LinkedHashMap<>();

	public BackendCatalog(List<BackendDefinition> backends) {
		for (BackendDefinition backend : backends) {
			if (this.byName.putIfAbsent(backend.name(), backend) != null) {
				throw new IllegalArgumentException(
						"Backend names (vmcp.backends[*].name) must be unique; '" + backend.name() + "' repeats");
			}
		}
	}

	/** Names of all configured backends, in configuration order. */
	public List<String> names() {
		return List.copyOf(this.byName.keySet());
	}

	public Optional<BackendDefinition> find(String name) {
		return Optional.ofNullable(this.byName.get(name));
	}

	/**
	 * Checks that every name is configured.
	 * @throws UnknownBackendException naming the first unknown one
	 */
	public List<String> requireKnown(List<String> names) {
		for (String name : names) {
			if (!this.byName.containsKey(name)) {
				throw new UnknownBackendException(name);
			}
		}
		return List.copyOf(names);
	}

}
