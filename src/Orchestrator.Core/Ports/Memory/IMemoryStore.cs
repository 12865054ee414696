namespace Orchestrator.Core.Ports;

/// <summary>
/// Keeps memories across runs: summaries of past runs (per user and agent) and a user's lasting memories. The
/// orchestrator only ever asks for one user's memories of one agent (and that user's memories for every agent), so
/// memories never cross users or agents. Failures are reported by the orchestrator as warnings; they never fail a run.
/// </summary>
public interface IMemoryStore
{
    /// <summary>The newest run summaries of <paramref name="agentId"/> for <paramref name="userId"/>, newest first.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="agentId">The agent.</param>
    /// <param name="limit">The most summaries to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The summaries, newest first.</returns>
    ValueTask<IReadOnlyList<RunMemory>> GetRecentRunsAsync(string userId, string agentId, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The user's lasting memories that hold for <paramref name="agentId"/> (those saved for it and those for every
    /// agent), most important first, newer first among equals.
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="agentId">The agent.</param>
    /// <param name="limit">The most memories to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The memories, most important first.</returns>
    ValueTask<IReadOnlyList<UserMemory>> GetUserMemoriesAsync(string userId, string agentId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Saves a run's summary and returns the run number the store gave it.</summary>
    /// <remarks>
    /// The store numbers runs itself, atomically per user and agent (one more than the highest number stored), so two
    /// runs finishing together never share a number. <see cref="RunMemory.RunNumber"/> of the argument is the number the
    /// summariser expected; a store returns the number it actually stored.
    /// </remarks>
    /// <param name="memory">The summary.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored run number (1 for the first run).</returns>
    ValueTask<int> SaveRunAsync(RunMemory memory, CancellationToken cancellationToken = default);

    /// <summary>Saves a lasting memory, replacing one with the same user, agent and key.</summary>
    /// <param name="memory">The memory.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the memory is saved.</returns>
    ValueTask SaveUserMemoryAsync(UserMemory memory, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many runs of <paramref name="agentId"/> for <paramref name="userId"/> were saved: the highest run number, so
    /// a store that prunes old summaries (keeps the newest N) still counts the pruned ones.
    /// </summary>
    /// <param name="userId">The user.</param>
    /// <param name="agentId">The agent.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The number of stored run summaries.</returns>
    ValueTask<int> CountRunsAsync(string userId, string agentId, CancellationToken cancellationToken = default);
}
