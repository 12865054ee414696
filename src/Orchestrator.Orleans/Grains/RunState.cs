namespace Orchestrator.Orleans.Grains;

/// <summary>Where a run stands, as a run grain answers a wait.</summary>
[GenerateSerializer]
internal enum RunState
{
    /// <summary>Neither the grain nor the checkpoint store knows the run.</summary>
    NotFound,

    /// <summary>The run is still running (the wait ended before it did).</summary>
    Running,

    /// <summary>The run waits for approvals.</summary>
    Suspended,

    /// <summary>The run ended.</summary>
    Finished,

    /// <summary>The grain's silo is shutting down and handed the run over: ask again, another silo continues it.</summary>
    HandedOver,
}
