using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Core.Auditing;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution.Runtime;
using Orchestrator.Core.Execution.Suspension;
using Orchestrator.Core.Hosting;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Memory;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Usage;
using Polly;

namespace Orchestrator.Core.Execution;

/// <summary>
/// Builds a <see cref="WorkflowOrchestrator"/> for code without a service container, in the manner of
/// <c>ChatClientBuilder</c>: give the two ports every orchestrator needs, add the others, then call <see cref="Build"/>.
/// The methods carry the names of the <c>AddWorkflowOrchestrator()</c> builder extensions, and
/// <c>AddWorkflowOrchestrator()</c> builds through this class too, so both paths make the same orchestrator. Ports that
/// have one implementation are replaced by a later call; middleware, audit sinks and resilience strategies accumulate.
/// </summary>
/// <example>
/// <code>
/// var orchestrator = new WorkflowOrchestratorBuilder(pluginExecutor, llmClient)
///     .UseOptions(new WorkflowOrchestratorOptions { MaxParallelism = 4 })
///     .AddCheckpointStore(store)
///     .AddAuditSink(sink)
///     .Build();
/// </code>
/// </example>
public sealed class WorkflowOrchestratorBuilder
{
    private readonly IPluginExecutor _pluginExecutor;
    private readonly ILlmClient _llmClient;
    private readonly List<IStepMiddleware> _middleware = [];
    private readonly List<IAuditSink> _auditSinks = [];
    private readonly List<(string Plugin, Action<ResiliencePipelineBuilder<StepOutcome>> Configure)> _pipelines = [];
    private Func<WorkflowOrchestratorOptions>? _options;
    private TimeProvider _timeProvider = TimeProvider.System;
    private ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;
    private IWorkflowRegistry? _workflowRegistry;
    private IStepResultCache? _cache;
    private IPluginCatalog? _pluginCatalog;
    private WorkflowPlanner? _planner;
    private IMemoryStore? _memoryStore;
    private IExecutionMetricsSink? _metricsSink;
    private ITokenEstimator _tokenEstimator = CharacterTokenEstimator.Instance;
    private ICreditCalculator _creditCalculator = TokenCreditCalculator.Instance;
    private ICheckpointStore? _checkpointStore;

    /// <summary>Starts a builder over the host's plugins and LLM, the two ports every orchestrator needs.</summary>
    /// <param name="pluginExecutor">Runs plugin actions.</param>
    /// <param name="llmClient">Answers LLM steps.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public WorkflowOrchestratorBuilder(IPluginExecutor pluginExecutor, ILlmClient llmClient)
    {
        ArgumentNullException.ThrowIfNull(pluginExecutor);
        ArgumentNullException.ThrowIfNull(llmClient);
        _pluginExecutor = pluginExecutor;
        _llmClient = llmClient;
    }

    /// <summary>
    /// Runs with <paramref name="options"/>; defaults when not called. The instance is read at the start of every run,
    /// so a change to it (such as <see cref="WorkflowOrchestratorOptions.Enabled"/>) applies to the next run.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public WorkflowOrchestratorBuilder UseOptions(WorkflowOrchestratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = () => options;
        return this;
    }

    /// <summary>Reads the options from <paramref name="options"/> at the start of every run (the DI path passes <c>IOptionsMonitor.CurrentValue</c>).</summary>
    internal WorkflowOrchestratorBuilder UseOptionsSource(Func<WorkflowOrchestratorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        return this;
    }

    /// <summary>Uses <paramref name="timeProvider"/> for timestamps, delays, timeouts and backoff; the system clock when not called.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is null.</exception>
    public WorkflowOrchestratorBuilder UseTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        return this;
    }

    /// <summary>Writes the orchestrator's log events through <paramref name="loggerFactory"/>; none are written when not called.</summary>
    /// <param name="loggerFactory">Creates the orchestrator's logger.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="loggerFactory"/> is null.</exception>
    public WorkflowOrchestratorBuilder UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>Looks up the workflows that <c>sub_workflow</c> steps name by id in <paramref name="registry"/>; none when not called.</summary>
    /// <param name="registry">The registry, such as a filled <see cref="InMemoryWorkflowRegistry"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> is null.</exception>
    public WorkflowOrchestratorBuilder AddWorkflowRegistry(IWorkflowRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _workflowRegistry = registry;
        return this;
    }

    /// <summary>Stores the results of steps with caching on in <paramref name="cache"/>; a new <see cref="InMemoryStepResultCache"/> per <see cref="Build"/> when not called.</summary>
    /// <param name="cache">The cache.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cache"/> is null.</exception>
    public WorkflowOrchestratorBuilder AddStepResultCache(IStepResultCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
        return this;
    }

    /// <summary>Describes the host's plugins with <paramref name="catalog"/>, so definitions planned by the orchestrator are checked against it.</summary>
    /// <param name="catalog">The catalog, such as an <see cref="InMemoryPluginCatalog"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is null.</exception>
    public WorkflowOrchestratorBuilder AddPluginCatalog(IPluginCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _pluginCatalog = catalog;
        return this;
    }

    /// <summary>Plans with <paramref name="planner"/> (the DI path shares the container's planner) instead of one over the plugin catalog.</summary>
    internal WorkflowOrchestratorBuilder UsePlanner(WorkflowPlanner planner)
    {
        ArgumentNullException.ThrowIfNull(planner);
        _planner = planner;
        return this;
    }

    /// <summary>Wraps every step in <paramref name="middleware"/>, around the built-in pipeline. The first added is the outermost.</summary>
    /// <param name="middleware">The middleware.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="middleware"/> is null.</exception>
    public WorkflowOrchestratorBuilder AddStepMiddleware(IStepMiddleware middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        _middleware.Add(middleware);
        return this;
    }

    /// <summary>
    /// Adds resilience strategies (retry, circuit breaker, rate limiter, ...) around every action of
    /// <paramref name="plugin"/>, outside the step's own <c>retryPolicy</c> and <c>timeout</c>. Calls for the same plugin
    /// add to one pipeline, in call order; the pipeline's clock is the builder's <see cref="TimeProvider"/>.
    /// </summary>
    /// <param name="plugin">The plugin's name, as action steps write it (such as <c>google-mail</c>).</param>
    /// <param name="configure">Adds the strategies; called once per <see cref="Build"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="plugin"/> or <paramref name="configure"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="plugin"/> is empty or white space.</exception>
    public WorkflowOrchestratorBuilder AddResiliencePipeline(string plugin, Action<ResiliencePipelineBuilder<StepOutcome>> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(plugin);
        ArgumentNullException.ThrowIfNull(configure);
        _pipelines.Add((plugin, configure));
        return this;
    }

    /// <summary>Reads memories of past runs from <paramref name="store"/> and summarises runs into it; no memory when not called.</summary>
    /// <param name="store">The memory store.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    public WorkflowOrchestratorBuilder AddMemoryStore(IMemoryStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _memoryStore = store;
        return this;
    }

    /// <summary>Writes the audit trail to <paramref name="sink"/> too; several sinks may be added, none when not called.</summary>
    /// <param name="sink">The sink.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sink"/> is null.</exception>
    public WorkflowOrchestratorBuilder AddAuditSink(IAuditSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _auditSinks.Add(sink);
        return this;
    }

    /// <summary>Sends each run's <see cref="ExecutionMetrics"/> to <paramref name="sink"/>; none when not called.</summary>
    /// <param name="sink">The sink.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sink"/> is null.</exception>
    public WorkflowOrchestratorBuilder AddMetricsSink(IExecutionMetricsSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _metricsSink = sink;
        return this;
    }

    /// <summary>Counts memory tokens with <paramref name="estimator"/>; <see cref="CharacterTokenEstimator"/> when not called.</summary>
    /// <param name="estimator">The tokenizer.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="estimator"/> is null.</exception>
    public WorkflowOrchestratorBuilder AddTokenEstimator(ITokenEstimator estimator)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        _tokenEstimator = estimator;
        return this;
    }

    /// <summary>Turns usage into credits with <paramref name="calculator"/>; <see cref="TokenCreditCalculator"/> when not called.</summary>
    /// <param name="calculator">The credit rule.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="calculator"/> is null.</exception>
    public WorkflowOrchestratorBuilder AddCreditCalculator(ICreditCalculator calculator)
    {
        ArgumentNullException.ThrowIfNull(calculator);
        _creditCalculator = calculator;
        return this;
    }

    /// <summary>
    /// Checkpoints runs in <paramref name="store"/>, so they can be resumed after a crash or in another process (see
    /// docs/durability.md). When not called, runs are not checkpointed and suspended runs are held in the memory of the
    /// built orchestrator.
    /// </summary>
    /// <param name="store">The checkpoint store.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    public WorkflowOrchestratorBuilder AddCheckpointStore(ICheckpointStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _checkpointStore = store;
        return this;
    }

    /// <summary>
    /// Builds an orchestrator from what was added. Each call builds a new, independent orchestrator (its own suspended
    /// runs, resilience pipelines and, unless one was added, its own step result cache); the ports added are shared.
    /// </summary>
    /// <returns>The orchestrator.</returns>
    /// <exception cref="ArgumentException">The options have a value that cannot work (every problem is named).</exception>
    public WorkflowOrchestrator Build()
    {
        var options = _options ?? Fixed(new WorkflowOrchestratorOptions());
        var planner = _planner ?? new WorkflowPlanner(_pluginCatalog);
        var logger = _loggerFactory.CreateLogger<WorkflowOrchestrator>();
        var host = new HostServices
        {
            MemoryStore = _memoryStore,
            AuditSinks = [.. _auditSinks],
            MetricsSink = _metricsSink,
            TokenEstimator = _tokenEstimator,
            CreditCalculator = _creditCalculator,
            PluginCatalog = _pluginCatalog,
        };
        ISuspendedRuns suspended = _checkpointStore is null
            ? new InMemorySuspendedRuns(_timeProvider, logger)
            : new DurableRuns(_checkpointStore, planner, _timeProvider, logger);
        return new WorkflowOrchestrator(
            options,
            _pluginExecutor,
            _llmClient,
            _timeProvider,
            _workflowRegistry,
            _cache ?? new InMemoryStepResultCache(_timeProvider),
            [.. _middleware],
            BuildPluginPipelines(),
            planner,
            logger,
            host,
            suspended);
    }

    private static Func<WorkflowOrchestratorOptions> Fixed(WorkflowOrchestratorOptions options) => () => options;

    /// <summary>One pipeline per plugin: the strategies of every <see cref="AddResiliencePipeline"/> call for it, in call order.</summary>
    private Dictionary<string, ResiliencePipeline<StepOutcome>> BuildPluginPipelines()
    {
        var builders = new Dictionary<string, ResiliencePipelineBuilder<StepOutcome>>(StringComparer.Ordinal);
        foreach (var (plugin, configure) in _pipelines)
        {
            if (!builders.TryGetValue(plugin, out var builder))
            {
                builder = new ResiliencePipelineBuilder<StepOutcome> { TimeProvider = _timeProvider };
                builders.Add(plugin, builder);
            }

            configure(builder);
        }

        return builders.ToDictionary(b => b.Key, b => b.Value.Build(), StringComparer.Ordinal);
    }
}
