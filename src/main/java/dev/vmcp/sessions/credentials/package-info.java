/**
 * Members' own tokens: obtained from an authorization server with Spring Security's OAuth
 * 2.0 client (client credentials, or token exchange for the caller), kept in this pod's
 * memory until shortly before they expire.
 */
@NullMarked
package dev.vmcp.sessions.credentials;

import org.jspecify.annotations.NullMarked;
