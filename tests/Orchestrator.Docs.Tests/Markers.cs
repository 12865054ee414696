namespace Orchestrator.Docs.Tests;

/// <summary>
/// The HTML comments a doc author puts on the line before a fence (<c>&lt;!-- name: reason --&gt;</c>) to change how
/// the block is checked.
/// </summary>
public static class Markers
{
    /// <summary>A ```csharp block that is not compiled (give the reason; the tests cap how many there are).</summary>
    public const string NotCompiled = "not-compiled";

    /// <summary>A ```json workflow shown because it is wrong: loading and planning it must report at least one error.</summary>
    public const string InvalidWorkflow = "invalid-workflow";
}
