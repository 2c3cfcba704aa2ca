/**
 * The MCP client side: one Streamable HTTP session per backend server.
 */
@NullMarked
package dev.vmcp.sessions.backend;

import org.jspecify.annotations.NullMarked;
