package dev.vmcp.sessions.config;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;

/**
 * The service's own version, as the gateway names itself to backends ({@code clientInfo})
 * and to clients ({@code serverInfo}): the build's, or {@code dev} when run from sources.
 *
 * @param value the version
 */
public record ServiceVersion(String value) {

	static ServiceVersion of(ObjectProvider<BuildProperties> buildProperties) {
		return new ServiceVersion(buildProperties.stream().map(BuildProperties::getVersion).findFirst().orElse("dev"));
	}

}
