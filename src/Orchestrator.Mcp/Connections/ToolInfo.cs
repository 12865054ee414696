using Orchestrator.Mcp.Mapping;

namespace Orchestrator.Mcp.Connections;

/// <summary>What a call needs to know about a listed tool before sending it.</summary>
/// <param name="Arguments">Its compiled input schema, when it has one that compiles.</param>
/// <param name="TaskSupport">Its <c>execution.taskSupport</c> (<c>forbidden</c>, <c>optional</c>, <c>required</c>), when declared.</param>
internal sealed record ToolInfo(ToolArguments? Arguments, string? TaskSupport)
{
    /// <summary>The tool can only be called as a task (MCP's task augmentation), which this client does not do.</summary>
    public bool RequiresTask => string.Equals(TaskSupport, "required", StringComparison.Ordinal);
}
