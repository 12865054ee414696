namespace Orchestrator.Dashboard.Endpoints;

/// <summary>The answer to a recorded decision.</summary>
/// <param name="Settled">Whether the approval is now settled.</param>
/// <param name="Resumed">Whether the dashboard resumes the run.</param>
/// <param name="Message">What the page shows.</param>
internal sealed record DecisionReply(bool Settled, bool Resumed, string Message);
