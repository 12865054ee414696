using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Orchestrator.Core.Model;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Ports;
using Polly;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>What every run of one orchestrator shares: the host's services, the options and the step pipeline, linked once.</summary>
internal sealed class OrchestratorRuntime
{
    private readonly ConditionalWeakTable<WorkflowStep, StepResilience> _stepResilience = [];

    /// <summary>Made once: a lambda written at the lookup would be a new delegate (it captures this) on every step.</summary>
    private readonly ConditionalWeakTable<WorkflowStep, StepResilience>.CreateValueCallback _buildResilience;
    private readonly bool _hasHostMiddleware;

    public OrchestratorRuntime(
        WorkflowOrchestratorOptions options,
        IPluginExecutor plugins,
        ILlmClient llm,
        IWorkflowRegistry? workflows,
        IStepResultCache cache,
        TimeProvider timeProvider,
        IReadOnlyList<IStepMiddleware> middleware,
        IReadOnlyDictionary<string, ResiliencePipeline<StepOutcome>> pluginPipelines,
        WorkflowPlanner planner,
        ILogger logger,
        HostServices host)
    {
        Host = host;
        Prices = new Usage.PriceTable(options.Pricing, options.DefaultModelPrice);
        Redactor = new Auditing.AuditRedactor(options.Audit.RedactedKeys, host.PluginCatalog);
        Options = options;
        Plugins = plugins;
        Llm = llm;
        Workflows = workflows;
        Cache = cache;
        TimeProvider = timeProvider;
        PluginPipelines = pluginPipelines;
        Planner = planner;
        Logger = logger;
        _buildResilience = step => ResiliencePipelines.ForStep(step, this);
        Pipeline = StepPipeline.Build(middleware, this);
        _hasHostMiddleware = middleware.Count > 0;
    }

    public WorkflowOrchestratorOptions Options { get; }

    /// <summary>The host's memory store, audit sinks, metrics sink, tokenizer and credit rule.</summary>
    public HostServices Host { get; }

    /// <summary>The prices of <see cref="Options"/>, ready for lookups.</summary>
    public Usage.PriceTable Prices { get; }

    /// <summary>Redacts secrets from audit details.</summary>
    public Auditing.AuditRedactor Redactor { get; }

    /// <summary>The memory lines of past runs already made, reused by the runs that inject them.</summary>
    public Memory.RunLineCache RunLines { get; } = new();

    public IPluginExecutor Plugins { get; }

    public ILlmClient Llm { get; }

    public IWorkflowRegistry? Workflows { get; }

    public IStepResultCache Cache { get; }

    public TimeProvider TimeProvider { get; }

    public IReadOnlyDictionary<string, ResiliencePipeline<StepOutcome>> PluginPipelines { get; }

    public WorkflowPlanner Planner { get; }

    /// <summary>Where the orchestrator's <see cref="Telemetry.Log"/> events go.</summary>
    public ILogger Logger { get; }

    /// <summary>The linked step pipeline: host middleware, parameter resolution, caching, resilience, then the step's handler.</summary>
    public StepHandler Pipeline { get; }

    /// <summary>
    /// Whether the step is an action that no middleware but the resilience one acts on (no host middleware, no cache, no
    /// host pipeline for its plugin), so the plan runner may resolve its parameters and call the plugin itself, as the
    /// pipeline would; <paramref name="resilience"/> is then its retry and timeout, or null when it has neither.
    /// </summary>
    public bool CallsPluginDirectly(WorkflowStep step, out StepResilience? resilience)
    {
        resilience = null;
        if (step is not ActionStep || _hasHostMiddleware || CachingMiddleware.AppliesTo(step))
        {
            return false;
        }

        if (!ResilienceMiddleware.AppliesTo(step, this))
        {
            return true;
        }

        resilience = GetStepResilience(step);
        return !resilience.HasHostPipeline;
    }

    /// <summary>The retry, timeout and host pipeline of a step, built once per step definition.</summary>
    public StepResilience GetStepResilience(WorkflowStep step) =>
        _stepResilience.GetValue(step, _buildResilience);
}
