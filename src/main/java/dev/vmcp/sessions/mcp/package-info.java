/**
 * The MCP front door: Streamable HTTP on {@code /mcp}, the session's catalog of the
 * members' tools, prompts and resources, routing of each request to its member, and the
 * relay of what members send back.
 */
@NullMarked
package dev.vmcp.sessions.mcp;

import org.jspecify.annotations.NullMarked;
