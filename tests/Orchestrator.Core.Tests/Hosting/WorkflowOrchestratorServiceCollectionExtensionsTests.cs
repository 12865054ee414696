using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Hosting;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Hosting;

public class WorkflowOrchestratorServiceCollectionExtensionsTests
{
    private static ServiceProvider CreateSut(Action<IOrchestratorBuilder>? configure = null, Action<WorkflowOrchestratorOptions>? options = null)
    {
        var services = new ServiceCollection();
        var builder = services.AddWorkflowOrchestrator(options);
        configure?.Invoke(builder);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public void AddWorkflowOrchestrator_BareServiceCollection_ResolvesOneSingletonOrchestratorAndEveryDefault()
    {
        using var provider = CreateSut();

        var orchestrator = provider.GetRequiredService<IWorkflowOrchestrator>();

        Assert.IsType<WorkflowOrchestrator>(orchestrator);
        Assert.Same(orchestrator, provider.GetRequiredService<IWorkflowOrchestrator>());
        Assert.Same(orchestrator, provider.GetRequiredService<WorkflowOrchestrator>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.IsType<InMemoryStepResultCache>(provider.GetRequiredService<IStepResultCache>());
        Assert.IsType<InMemoryWorkflowRegistry>(provider.GetRequiredService<IWorkflowRegistry>());
        Assert.NotNull(provider.GetRequiredService<WorkflowPlanner>());
        Assert.NotNull(provider.GetRequiredService<IPluginExecutor>());
        Assert.NotNull(provider.GetRequiredService<ILlmClient>());
    }

    [Fact]
    public void AddWorkflowOrchestrator_ReturnsBuilderOverTheSameServices()
    {
        var services = new ServiceCollection();

        var builder = services.AddWorkflowOrchestrator();

        Assert.Same(services, builder.Services);
    }

    [Fact]
    public async Task AddWorkflowOrchestrator_NoPluginExecutorRegistered_ActionStepFailsWithNoPluginExecutor()
    {
        using var provider = CreateSut();

        var result = await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        var step = result.Steps["call"];
        Assert.Equal(StepStatus.Failed, step.Status);
        Assert.Equal("NO_PLUGIN_EXECUTOR", step.ErrorCode);
        Assert.Contains("No plugin executor registered: call AddPluginExecutor<T>()", step.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddWorkflowOrchestrator_NoLlmClientRegistered_LlmStepFailsNamingTheMissingClient()
    {
        using var provider = CreateSut();

        var result = await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(HostingTestKit.OneLlmStep(), HostingTestKit.Request());

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StepStatus.Failed, result.Steps["think"].Status);
        Assert.Contains("No LLM client registered", result.Steps["think"].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddWorkflowOrchestrator_CalledTwice_RegistersEachServiceOnceAndAppliesBothConfigurations()
    {
        var services = new ServiceCollection();
        services.AddWorkflowOrchestrator(o => o.MaxParallelism = 3).AddPluginExecutor<EchoPluginExecutor>();
        var count = services.Count;

        services.AddWorkflowOrchestrator(o => o.MaxSubWorkflowDepth = 2);

        Assert.Equal(count + 1, services.Count); // only the second configure action
        Assert.Single(services, d => d.ServiceType == typeof(IWorkflowOrchestrator));
        Assert.Single(services, d => d.ServiceType == typeof(IPluginExecutor));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<WorkflowOrchestratorOptions>));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<WorkflowOrchestratorOptions>>().Value;
        Assert.Equal(3, options.MaxParallelism);
        Assert.Equal(2, options.MaxSubWorkflowDepth);
        var result = await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
    }

    [Fact]
    public void AddWorkflowOrchestrator_HostRegisteredTimeProviderFirst_KeepsIt()
    {
        var services = new ServiceCollection();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        services.AddSingleton<TimeProvider>(time);

        services.AddWorkflowOrchestrator();

        using var provider = services.BuildServiceProvider();
        Assert.Same(time, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void AddWorkflowOrchestrator_InvalidOptions_FirstResolveThrowsNamingEveryBadOption()
    {
        using var provider = CreateSut(options: o =>
        {
            o.MaxParallelism = 0;
            o.DefaultStepTimeout = TimeSpan.FromSeconds(-1);
        });

        var error = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IWorkflowOrchestrator>);

        Assert.Contains("WorkflowOrchestratorOptions.MaxParallelism must be at least 1 (was 0)", error.Message, StringComparison.Ordinal);
        Assert.Contains("WorkflowOrchestratorOptions.DefaultStepTimeout must be positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddWorkflowOrchestrator_InvalidOptionsInGenericHost_StartFailsNamingTheOption()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddWorkflowOrchestrator(o => o.MaxSubWorkflowDepth = 0);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("MaxSubWorkflowDepth must be at least 1 (was 0)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddWorkflowOrchestrator_GenericHostWithHostPluginAndLlm_RunsAWorkflow()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var llm = new ScriptedLlmClient().When("Summarise", "a quiet day");
        builder.Services.AddWorkflowOrchestrator(o => o.MaxParallelism = 4)
            .AddPluginExecutor<EchoPluginExecutor>()
            .AddLlmClient(_ => llm);
        using var host = builder.Build();
        await host.StartAsync();

        var orchestrator = host.Services.GetRequiredService<IWorkflowOrchestrator>();
        var action = await orchestrator.ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());
        var thought = await orchestrator.ExecuteAsync(HostingTestKit.OneLlmStep(), HostingTestKit.Request());
        await host.StopAsync();

        Assert.Equal(ExecutionStatus.Succeeded, action.Status);
        Assert.Equal("echo", action.Steps["call"].Data.GetProperty("from").GetString());
        Assert.Equal(ExecutionStatus.Succeeded, thought.Status);

        // The step's call, then the memory summariser's after each of the two runs.
        Assert.Single(llm.Requests, r => r.StepId == "think");
        Assert.Equal(2, llm.Requests.Count(r => r.StepId == "$memory.summary"));
    }
}
