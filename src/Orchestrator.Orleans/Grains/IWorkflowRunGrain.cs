namespace Orchestrator.Orleans.Grains;

/// <summary>
/// One run, keyed by its execution id: Orleans keeps one activation per key in the cluster, so the run is driven by one
/// silo at a time. Arguments travel as JSON (the core's types are not Orleans-serializable and should not need to be).
/// </summary>
internal interface IWorkflowRunGrain : IGrainWithStringKey
{
    /// <summary>Starts the run (or, when the store already knows it, continues or reports it); returns at once.</summary>
    /// <param name="definitionJson">The workflow definition.</param>
    /// <param name="requestJson">The request, with this grain's key as its execution id.</param>
    /// <param name="observer">Receives the run's events, in order; null for none.</param>
    /// <returns>A task that completes when the run has started.</returns>
    Task StartAsync(string definitionJson, string requestJson, IRunEventObserver? observer);

    /// <summary>Waits up to <paramref name="maxWait"/> for the run to end or suspend, continuing it first when its silo died.</summary>
    /// <param name="maxWait">How long to wait here (below the cluster's response timeout).</param>
    /// <param name="observer">Receives further events (after a hand-over too); null keeps the current one.</param>
    /// <returns>Where the run stands, with its result when it has one.</returns>
    Task<RunReply> WaitAsync(TimeSpan maxWait, IRunEventObserver? observer);

    /// <summary>Continues a suspended or checkpointed run here; returns at once.</summary>
    /// <param name="definitionJson">The definition to continue on; null for the stored one.</param>
    /// <param name="allowDefinitionChange">Whether a different definition may replace the stored one.</param>
    /// <returns>False when neither this grain nor the store knows the run.</returns>
    Task<bool> ResumeAsync(string? definitionJson, bool allowDefinitionChange);

    /// <summary>Records an approver's decision for the suspended run.</summary>
    /// <param name="decisionJson">The decision.</param>
    /// <returns>Whether the approval is now settled.</returns>
    Task<bool> SubmitApprovalAsync(string decisionJson);

    /// <summary>Cancels the run if it is running.</summary>
    /// <returns>Whether a running run was cancelled.</returns>
    Task<bool> CancelAsync();

    /// <summary>Reads where the run stands without waiting or continuing it.</summary>
    /// <returns>Where the run stands.</returns>
    Task<RunReply> GetStatusAsync();
}
