namespace Orchestrator.Core.Ports;

/// <summary>
/// An optional query a checkpoint store may offer beside <see cref="ICheckpointStore"/>: the newest runs first, across
/// statuses and per agent, for views of recent work such as a dashboard. <see cref="ICheckpointStore.ListRunsAsync"/>
/// lists one status oldest first (what a restarted host resumes), which cannot show the latest finished runs.
/// </summary>
public interface ICheckpointRunQuery
{
    /// <summary>Lists the ids of the most recently started runs, newest first.</summary>
    /// <param name="status">Only runs with this status; every status when null.</param>
    /// <param name="agentId">Only runs of this agent (ordinal comparison); every agent when null.</param>
    /// <param name="limit">At most this many (not negative).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ids, newest start first (ties by id).</returns>
    ValueTask<IReadOnlyList<string>> ListRecentRunsAsync(CheckpointStatus? status, string? agentId, int limit, CancellationToken cancellationToken = default);
}
