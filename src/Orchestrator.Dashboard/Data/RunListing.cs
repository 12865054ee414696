namespace Orchestrator.Dashboard.Data;

/// <summary>The runs list, and what the page must say about what it could not list.</summary>
internal sealed record RunListing(IReadOnlyList<RunRow> Runs, IReadOnlyList<string> Notices);
