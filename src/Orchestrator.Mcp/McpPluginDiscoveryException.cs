namespace Orchestrator.Mcp;

/// <summary>An MCP server could not be reached, or could not list its tools, while the catalog was being initialised.</summary>
public sealed class McpPluginDiscoveryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public McpPluginDiscoveryException()
        : base("An MCP server could not be reached or could not list its tools.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public McpPluginDiscoveryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public McpPluginDiscoveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The plugin names of the servers that failed.</summary>
    public IReadOnlyList<string> Servers { get; private init; } = [];

    /// <summary>The failure of <paramref name="failures"/>' servers; the cause is the one exception, or all of them aggregated.</summary>
    internal static McpPluginDiscoveryException For(IReadOnlyList<(string Server, Exception Error)> failures)
    {
        var message = failures.Count == 1
            ? $"The MCP server '{failures[0].Server}' could not be reached or could not list its tools: {failures[0].Error.Message}"
            : "These MCP servers could not be reached or could not list their tools: "
                + string.Join("; ", failures.Select(f => $"'{f.Server}': {f.Error.Message}"));
        var cause = failures.Count == 1 ? failures[0].Error : new AggregateException(failures.Select(f => f.Error));
        return new McpPluginDiscoveryException(message, cause) { Servers = [.. failures.Select(f => f.Server)] };
    }
}
