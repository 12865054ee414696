using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Tests.Execution.Runtime;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Hosting;

public class AdminSwitchTests
{
    private readonly ScriptedPluginExecutor _plugins = new ScriptedPluginExecutor().On("api.call", "{}");
    private readonly TestOptionsMonitor _monitor = new(new WorkflowOrchestratorOptions());

    private ServiceProvider CreateSut(TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        var plugins = _plugins;
        services.AddWorkflowOrchestrator().AddPluginExecutor(_ => plugins);
        services.AddSingleton<IOptionsMonitor<WorkflowOrchestratorOptions>>(_monitor);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task ExecuteAsync_Disabled_RejectedWithOrchestratorDisabledAndNoPluginCall()
    {
        _monitor.CurrentValue = new WorkflowOrchestratorOptions { Enabled = false };
        using var provider = CreateSut();

        var result = await provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());

        Assert.Equal(ExecutionStatus.Rejected, result.Status);
        Assert.Equal("ORCHESTRATOR_DISABLED", result.ErrorCode);
        Assert.Equal(WorkflowOrchestratorOptions.DisabledErrorCode, result.ErrorCode);
        Assert.Contains("disabled", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Steps);
        Assert.Empty(_plugins.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_DisabledThenReEnabled_NextRunSucceedsWithoutRestart()
    {
        using var provider = CreateSut();
        var orchestrator = provider.GetRequiredService<IWorkflowOrchestrator>();

        var first = await orchestrator.ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());
        _monitor.CurrentValue = new WorkflowOrchestratorOptions { Enabled = false };
        var refused = await orchestrator.ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());
        _monitor.CurrentValue = new WorkflowOrchestratorOptions { Enabled = true };
        var again = await orchestrator.ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, first.Status);
        Assert.Equal(ExecutionStatus.Rejected, refused.Status);
        Assert.Equal("ORCHESTRATOR_DISABLED", refused.ErrorCode);
        Assert.Equal(ExecutionStatus.Succeeded, again.Status);
        Assert.Equal(2, _plugins.Calls.Count);
    }

    [Fact]
    public async Task ExecuteStreamingAsync_Disabled_FinishesWithTheRejectedResultAndNoStepEvent()
    {
        _monitor.CurrentValue = new WorkflowOrchestratorOptions { Enabled = false };
        using var provider = CreateSut();
        var plan = Workflows.PlanOrFail("""[ { "id": "call", "type": "action", "plugin": "api", "action": "call" } ]""");

        var events = new List<ExecutionEvent>();
        await foreach (var @event in provider.GetRequiredService<IWorkflowOrchestrator>().ExecuteStreamingAsync(plan, HostingTestKit.Request()))
        {
            events.Add(@event);
        }

        var finished = Assert.IsType<ExecutionFinishedEvent>(Assert.Single(events));
        Assert.Equal("ORCHESTRATOR_DISABLED", finished.Result.ErrorCode);
        Assert.Empty(_plugins.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_PublicConstructorWithFixedOptions_SwitchReadAtEveryRun()
    {
        var options = new WorkflowOrchestratorOptions();
        var orchestrator = new WorkflowOrchestratorBuilder(_plugins, new ScriptedLlmClient()).UseOptions(options).Build();

        options.Enabled = false;
        var refused = await orchestrator.ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());
        options.Enabled = true;
        var ran = await orchestrator.ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());

        Assert.Equal("ORCHESTRATOR_DISABLED", refused.ErrorCode);
        Assert.Equal(ExecutionStatus.Succeeded, ran.Status);
    }

    [Fact]
    public async Task ExecuteAsync_DefaultStepTimeoutChangedBetweenRuns_NextRunUsesTheNewTimeout()
    {
        var time = new TimerRecordingTimeProvider();
        using var provider = CreateSut(time);
        var orchestrator = provider.GetRequiredService<IWorkflowOrchestrator>();

        var before = await orchestrator.ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());
        var timersBefore = time.DueTimes.Count;
        _monitor.CurrentValue = new WorkflowOrchestratorOptions { DefaultStepTimeout = TimeSpan.FromSeconds(7) };
        var after = await orchestrator.ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());

        Assert.Equal(ExecutionStatus.Succeeded, before.Status);
        Assert.Equal(ExecutionStatus.Succeeded, after.Status);
        Assert.DoesNotContain(TimeSpan.FromSeconds(7), time.DueTimes.Take(timersBefore));
        Assert.Contains(TimeSpan.FromSeconds(7), time.DueTimes.Skip(timersBefore));
    }

    [Fact]
    public async Task ResumeAsync_Disabled_RejectedAndTheRunStaysSuspendedUntilReEnabled()
    {
        using var provider = CreateSut();
        var orchestrator = provider.GetRequiredService<IWorkflowOrchestrator>();
        var suspended = await orchestrator.ExecuteAsync(
            Workflows.Load("""[ { "id": "ok", "type": "human_approval", "approvers": ["admin"], "title": "Go?" }, { "id": "call", "type": "action", "plugin": "api", "action": "call", "dependencies": ["ok"] } ]"""),
            HostingTestKit.Request());
        Assert.Equal(ExecutionStatus.Suspended, suspended.Status);
        await orchestrator.SubmitApprovalAsync(new ApprovalDecision { ExecutionId = suspended.ExecutionId, StepId = "ok", Approver = "admin", Approved = true });

        _monitor.CurrentValue = new WorkflowOrchestratorOptions { Enabled = false };
        var refused = await orchestrator.ResumeAsync(suspended.ExecutionId);
        _monitor.CurrentValue = new WorkflowOrchestratorOptions();
        var resumed = await orchestrator.ResumeAsync(suspended.ExecutionId);

        Assert.Equal("ORCHESTRATOR_DISABLED", refused.ErrorCode);
        Assert.Equal(suspended.ExecutionId, refused.ExecutionId);
        Assert.Equal(ExecutionStatus.Succeeded, resumed.Status);
        Assert.Single(_plugins.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_ConfigurationReloadedInGenericHost_SwitchAppliesToTheNextRun()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Orchestrator:Enabled"] = "true" });
        builder.Services.Configure<WorkflowOrchestratorOptions>(builder.Configuration.GetSection("Orchestrator"));
        var plugins = _plugins;
        builder.Services.AddWorkflowOrchestrator().AddPluginExecutor(_ => plugins);
        using var host = builder.Build();
        await host.StartAsync();
        var orchestrator = host.Services.GetRequiredService<IWorkflowOrchestrator>();
        var configuration = (IConfigurationRoot)host.Services.GetRequiredService<IConfiguration>();

        var first = await orchestrator.ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());
        configuration["Orchestrator:Enabled"] = "false";
        configuration.Reload();
        var refused = await orchestrator.ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());
        configuration["Orchestrator:Enabled"] = "true";
        configuration.Reload();
        var again = await orchestrator.ExecuteAsync(HostingTestKit.OneAction(), HostingTestKit.Request());
        await host.StopAsync();

        Assert.Equal(ExecutionStatus.Succeeded, first.Status);
        Assert.Equal("ORCHESTRATOR_DISABLED", refused.ErrorCode);
        Assert.Equal(ExecutionStatus.Succeeded, again.Status);
        Assert.Equal(2, _plugins.Calls.Count);
    }
}
