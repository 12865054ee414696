using Orchestrator.Core.Memory;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Usage;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>The host's side systems the orchestrator reports to. None of them can fail a run: their failures become warnings.</summary>
internal sealed record HostServices
{
    public static HostServices None { get; } = new();

    /// <summary>Where memories are read and saved; memory is off when null.</summary>
    public IMemoryStore? MemoryStore { get; init; }

    public IReadOnlyList<IAuditSink> AuditSinks { get; init; } = [];

    public IExecutionMetricsSink? MetricsSink { get; init; }

    public ITokenEstimator TokenEstimator { get; init; } = CharacterTokenEstimator.Instance;

    public ICreditCalculator CreditCalculator { get; init; } = TokenCreditCalculator.Instance;

    /// <summary>The plugin catalog, for the parameters it marks sensitive.</summary>
    public IPluginCatalog? PluginCatalog { get; init; }
}
