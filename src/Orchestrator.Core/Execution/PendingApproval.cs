namespace Orchestrator.Core.Execution;

/// <summary>An approval a suspended run waits for.</summary>
/// <param name="ExecutionId">The run.</param>
/// <param name="StepId">The <c>human_approval</c> step.</param>
/// <param name="Approvers">Who may decide.</param>
/// <param name="Title">The request's title.</param>
/// <param name="Message">The request's message.</param>
/// <param name="ExpiresAt">When the step's timeout runs out, if it has one.</param>
public sealed record PendingApproval(string ExecutionId, string StepId, EquatableArray<string> Approvers, string? Title, string? Message, DateTimeOffset? ExpiresAt);
