namespace Orchestrator.Stores.Sqlite;

/// <summary>How hard SQLite pushes each commit to disk (its <c>synchronous</c> setting, in WAL mode).</summary>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// Every commit survives the process being killed; a power loss or an operating-system crash may lose the last
    /// commits (never corrupting the file). The default: a killed process is the failure the orchestrator is built for.
    /// </summary>
    Normal,

    /// <summary>Every commit survives a power loss too, at the cost of an fsync per commit.</summary>
    Full,
}
