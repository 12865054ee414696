using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Hosting;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;
using Polly;
using Polly.Retry;

namespace Orchestrator.Core.Tests.Hosting;

public class OrchestratorBuilderExtensionsTests
{
    private static ServiceProvider CreateSut(Action<IOrchestratorBuilder> configure)
    {
        var services = new ServiceCollection();
        configure(services.AddWorkflowOrchestrator());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public async Task AddPluginExecutor_Type_ReplacesTheDefaultThatFails()
    {
        using var provider = CreateSut(b => b.AddPluginExecutor<EchoPluginExecutor>());

        var result = await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());

        Assert.IsType<EchoPluginExecutor>(provider.GetRequiredService<IPluginExecutor>());
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("echo", result.Steps["call"].Data.GetProperty("from").GetString());
    }

    [Fact]
    public async Task AddPluginExecutor_CalledTwice_LastRegistrationWins()
    {
        var plugins = new ScriptedPluginExecutor().On("api.call", """{ "from": "scripted" }""");
        using var provider = CreateSut(b => b.AddPluginExecutor<EchoPluginExecutor>().AddPluginExecutor(_ => plugins));

        var result = await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());

        Assert.Equal("scripted", result.Steps["call"].Data.GetProperty("from").GetString());
        Assert.Single(plugins.Calls);
    }

    [Fact]
    public async Task AddStepMiddleware_SeveralTypes_FirstAddedIsOutermostAndADuplicateIsIgnored()
    {
        var log = new MiddlewareLog();
        using var provider = CreateSut(b =>
        {
            b.Services.AddSingleton(log);
            b.AddPluginExecutor<EchoPluginExecutor>()
                .AddStepMiddleware<OuterMiddleware>()
                .AddStepMiddleware<InnerMiddleware>()
                .AddStepMiddleware<OuterMiddleware>();
        });

        var result = await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(["outer:before", "inner:before", "inner:after", "outer:after"], log.Entries);
    }

    [Fact]
    public async Task AddResiliencePipeline_RetryForFlakyPlugin_MakesItSucceedWhileOtherPluginsAreNotRetried()
    {
        var flakyCalls = 0;
        var plugins = new ScriptedPluginExecutor()
            .On("flaky.call", _ => Interlocked.Increment(ref flakyCalls) < 3 ? PluginResult.Fail("try again", "BUSY") : PluginResult.Ok(Json.Parse("{}")))
            .On("api.call", _ => PluginResult.Fail("no", "BUSY"));
        using var provider = CreateSut(b => b
            .AddPluginExecutor(_ => plugins)
            .AddResiliencePipeline("flaky", p => p.AddRetry(new RetryStrategyOptions<StepOutcome>
            {
                MaxRetryAttempts = 5,
                Delay = TimeSpan.Zero,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Kind: StepOutcomeKind.Failed }),
            })));
        var orchestrator = provider.GetRequiredService<IWorkflowOrchestrator>();

        var flaky = await orchestrator.ExecuteAsync(HostingTestKit.OneAction("flaky"), HostingTestKit.Request());
        var other = await orchestrator.ExecuteAsync(HostingTestKit.OneAction("api"), HostingTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, flaky.Status);
        Assert.Equal(3, plugins.CallsTo("flaky.call").Count());
        Assert.Equal(ExecutionStatus.Failed, other.Status);
        Assert.Single(plugins.CallsTo("api.call"));
    }

    [Fact]
    public async Task AddResiliencePipeline_TwoCallsForOnePlugin_AddToOnePipelineInCallOrder()
    {
        var log = new ConcurrentQueue<string>();
        using var provider = CreateSut(b => b
            .AddPluginExecutor<EchoPluginExecutor>()
            .AddResiliencePipeline("api", p => p.AddStrategy(_ => new RecordingStrategy(log, "first"), new RecordingStrategyOptions()))
            .AddResiliencePipeline("api", p => p.AddStrategy(_ => new RecordingStrategy(log, "second"), new RecordingStrategyOptions())));

        await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());

        Assert.Equal(["first", "second"], log);
    }

    [Fact]
    public async Task AddWorkflowRegistry_Instance_SubWorkflowStepsFindItsWorkflows()
    {
        var registry = new InMemoryWorkflowRegistry();
        registry.Register("child", HostingTestKit.OneAction());
        using var provider = CreateSut(b => b.AddPluginExecutor<EchoPluginExecutor>().AddWorkflowRegistry(registry));

        var result = await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(
            Workflows.Load("""[ { "id": "sub", "type": "sub_workflow", "workflowId": "child" } ]"""),
            HostingTestKit.Request());

        Assert.Same(registry, provider.GetRequiredService<IWorkflowRegistry>());
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
    }

    [Fact]
    public async Task AddPluginCatalog_Instance_PlannerRejectsAnUnknownPlugin()
    {
        var catalog = new InMemoryPluginCatalog([]);
        using var provider = CreateSut(b => b.AddPluginExecutor<EchoPluginExecutor>().AddPluginCatalog(catalog));

        var result = await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
        Assert.Equal("INVALID_WORKFLOW", result.ErrorCode);
    }

    [Fact]
    public void AddStepResultCache_Type_ReplacesTheInMemoryCache()
    {
        using var provider = CreateSut(b => b.AddStepResultCache<NullCache>());

        Assert.IsType<NullCache>(provider.GetRequiredService<IStepResultCache>());
        Assert.NotNull(provider.GetRequiredService<IWorkflowOrchestrator>());
    }

    internal sealed class MiddlewareLog
    {
        public ConcurrentQueue<string> Entries { get; } = new();
    }

    internal sealed class OuterMiddleware(MiddlewareLog log) : IStepMiddleware
    {
        public async ValueTask<StepOutcome> InvokeAsync(StepContext context, StepHandler nextHandler)
        {
            log.Entries.Enqueue("outer:before");
            var outcome = await nextHandler(context);
            log.Entries.Enqueue("outer:after");
            return outcome;
        }
    }

    internal sealed class InnerMiddleware(MiddlewareLog log) : IStepMiddleware
    {
        public async ValueTask<StepOutcome> InvokeAsync(StepContext context, StepHandler nextHandler)
        {
            log.Entries.Enqueue("inner:before");
            var outcome = await nextHandler(context);
            log.Entries.Enqueue("inner:after");
            return outcome;
        }
    }

    internal sealed class NullCache : IStepResultCache
    {
        public ValueTask<System.Text.Json.JsonElement?> GetAsync(string key, CancellationToken cancellationToken = default) => ValueTask.FromResult<System.Text.Json.JsonElement?>(null);

        public ValueTask SetAsync(string key, System.Text.Json.JsonElement data, TimeSpan timeToLive, CancellationToken cancellationToken = default) => default;
    }

    private sealed class RecordingStrategyOptions : ResilienceStrategyOptions;

    private sealed class RecordingStrategy(ConcurrentQueue<string> log, string name) : ResilienceStrategy
    {
        protected override ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
            Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
        {
            log.Enqueue(name);
            return callback(context, state);
        }
    }
}
