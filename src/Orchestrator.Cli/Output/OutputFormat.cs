namespace Orchestrator.Cli.Output;

/// <summary>How a command prints its result (<c>--format</c>).</summary>
internal enum OutputFormat
{
    /// <summary>Lines for people (the default).</summary>
    Text,

    /// <summary>One JSON document for tools.</summary>
    Json,

    /// <summary>A Mermaid flowchart (<c>plan</c> only).</summary>
    Mermaid,

    /// <summary>A Mermaid Gantt chart of the run's steps (<c>run</c> only).</summary>
    Timeline,
}
