namespace Orchestrator.Mcp.Connections;

/// <summary>A call reached a server connection after the catalog was closed (the host is stopping); reported as cancelled.</summary>
internal sealed class McpCatalogClosedException : Exception
{
    public McpCatalogClosedException()
        : base("The MCP plugin catalog is closed: the host is shutting down.")
    {
    }

    public McpCatalogClosedException(string message)
        : base(message)
    {
    }

    public McpCatalogClosedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
