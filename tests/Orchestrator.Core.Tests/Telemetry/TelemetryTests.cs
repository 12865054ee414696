namespace Orchestrator.Core.Tests.Telemetry;

/// <summary>
/// Listeners are process-wide, and metrics carry no run id: the tests that read instruments run alone, so no other
/// test's steps are counted with theirs. Spans are told apart by their trace.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryTests
{
    public const string Name = "Telemetry";
}
