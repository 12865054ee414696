using Orchestrator.Core.Execution.Runtime;

namespace Orchestrator.Core.Execution.Suspension;

/// <summary>An approval a suspended run waits for: its state, and the run when it is held in memory (null when it is in a store).</summary>
internal sealed record WaitingApproval(ApprovalState State, RunContext? HeldRun);
