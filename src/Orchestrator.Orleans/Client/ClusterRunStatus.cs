using Orchestrator.Core.Execution;

namespace Orchestrator.Orleans.Client;

/// <summary>Where a run of the cluster stands, as its checkpoint store records it.</summary>
/// <param name="ExecutionId">The run.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Outcome">How it ended, once <see cref="ClusterRunState.Finished"/>.</param>
public sealed record ClusterRunStatus(string ExecutionId, ClusterRunState State, ExecutionStatus? Outcome);
