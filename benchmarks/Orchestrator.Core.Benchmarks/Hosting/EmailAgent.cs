using System.Text.Json;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Benchmarks.Hosting;

/// <summary>
/// The sample's email-summary agent (samples/EmailSummaryAgent/workflows/email-summary.json: search mail, summarise
/// with an LLM, judge urgency with an LLM, post the digest, alert when urgent) on the sample's offline stand-ins, hosted
/// as an application hosts it: <c>AddWorkflowOrchestrator()</c> with its defaults (memory injected into LLM steps and a
/// run summary saved, an audit event per step, metrics), with or without a checkpoint store.
/// </summary>
internal static class EmailAgent
{
    /// <summary>The inbox's first email is an overdue invoice, so every run is urgent and runs all five steps.</summary>
    public static readonly WorkflowExecutionRequest Request = new()
    {
        UserId = "bench-user",
        AgentId = "email-agent",
        Inputs = JsonDocument.Parse("""{ "channel": "#inbox" }""").RootElement.Clone(),
    };

    public static string Json { get; } = ReadFixture();

    public static ExecutionPlan Plan() => PlanOf(Json);

    /// <summary>The same agent with a human approval between the summary and posting it: its runs suspend.</summary>
    public static ExecutionPlan PlanWithApproval() => PlanOf(Json
        .Replace("""
            "workflow_steps": [
            """, """
            "workflow_steps": [
                { "id": "approve", "type": "human_approval", "title": "Post the digest?", "approvers": ["ann"], "dependencies": ["step2"] },
            """, StringComparison.Ordinal)
        .Replace("""
              "params": { "channel": "{{input.channel}}", "text": "{{step2.data.decision}}" }
            """, """
              "params": { "channel": "{{input.channel}}", "text": "{{step2.data.decision}}" },
              "dependencies": ["approve"]
            """, StringComparison.Ordinal));

    /// <summary>The constructor with the stand-ins and nothing else: no memory, audit, metrics or store.</summary>
    public static WorkflowOrchestrator Bare(out SamplePlugins plugins)
    {
        plugins = new SamplePlugins();
        return new WorkflowOrchestratorBuilder(plugins, new SampleLlm()).Build();
    }

    /// <summary>The DI host with its defaults; <paramref name="store"/> adds a checkpoint store when given.</summary>
    public static WorkflowOrchestrator Hosted(Func<ICheckpointStore>? store, out SamplePlugins plugins, out ServiceProvider provider)
    {
        var services = new ServiceCollection();
        var shared = new SamplePlugins();
        var builder = services.AddWorkflowOrchestrator()
            .AddPluginExecutor(_ => shared)
            .AddLlmClient(_ => new SampleLlm());
        if (store is not null)
        {
            builder.AddCheckpointStore(_ => store());
        }

        plugins = shared;
        provider = services.BuildServiceProvider();
        return provider.GetRequiredService<WorkflowOrchestrator>();
    }

    /// <summary>Throws unless the run succeeded with all five steps run (the alert too) and no warnings.</summary>
    public static void Check(WorkflowExecutionResult result, string name)
    {
        if (result.Status != ExecutionStatus.Succeeded || result.Warnings.Count > 0
            || result.Steps.Count != 5 || result.Steps.Values.Any(s => s.Status != StepStatus.Succeeded))
        {
            throw new InvalidOperationException($"{name}: the email agent's run ended {result.Status} ({result.Error}); steps: "
                + string.Join(", ", result.Steps.Values.Select(s => $"{s.StepId} {s.Status} {s.Error}")) + "; warnings: " + string.Join(" ", result.Warnings));
        }
    }

    private static ExecutionPlan PlanOf(string json)
    {
        var loaded = WorkflowJson.Load(json);
        return new WorkflowPlanner().Plan(loaded).Plan
            ?? throw new InvalidOperationException("The email agent cannot be planned: " + string.Join("; ", loaded.Diagnostics));
    }

    private static string ReadFixture()
    {
        using var stream = typeof(EmailAgent).Assembly.GetManifestResourceStream("Loading.Fixtures.email-summary.json")
            ?? throw new InvalidOperationException("The email-summary fixture is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>
/// The same agent written for Microsoft Agent Framework: five executors calling the same stand-in plugins and LLM
/// with the same prompts (step 2 fans out to the urgency judgement and the digest; the alert follows the judgement and
/// is sent when it says urgent). No memory, audit, metrics or checkpoints: Agent Framework has none of them by default.
/// </summary>
public sealed class AgentFrameworkEmailAgent
{
    private const string ExecutionId = "af-run";

    public AgentFrameworkEmailAgent(IPluginExecutor plugins, ILlmClient llm)
    {
        var search = new SearchExecutor(plugins);
        var summarise = new SummariseExecutor(llm);
        var judge = new JudgeExecutor(llm);
        var digest = new PostExecutor("step4", plugins, alert: false);
        var alert = new PostExecutor("step5", plugins, alert: true);
        Workflow = new WorkflowBuilder(search)
            .AddEdge(search, summarise)
            .AddFanOutEdge(summarise, [judge, digest])
            .AddEdge(judge, alert)
            .Build();
    }

    public Workflow Workflow { get; }

    /// <summary>Runs the agent for one channel to completion; returns how many executors completed (5).</summary>
    public async Task<int> RunAsync(string channel)
    {
        await using var run = await InProcessExecution.RunAsync(Workflow, channel).ConfigureAwait(false);
        var status = await run.GetStatusAsync().ConfigureAwait(false);
        if (status is not (RunStatus.Idle or RunStatus.Ended))
        {
            throw new InvalidOperationException($"The Agent Framework run ended {status}.");
        }

        var completed = 0;
        foreach (var @event in run.NewEvents)
        {
            switch (@event)
            {
                case ExecutorFailedEvent failed:
                    throw new InvalidOperationException($"Agent Framework executor {failed.ExecutorId} failed: {failed.Data}");
                case WorkflowErrorEvent error:
                    throw new InvalidOperationException($"The Agent Framework workflow failed: {error.Data}");
                case ExecutorCompletedEvent:
                    completed++;
                    break;
            }
        }

        return completed;
    }

    /// <summary>What flows from the summary on: the channel and the summary text (and, after the judgement, the decision).</summary>
    public sealed record Digest(string Channel, string Summary, string? Decision = null);

    private static PluginRequest Call(string step, string plugin, string action, JsonElement parameters) => new()
    {
        ExecutionId = ExecutionId,
        UserId = "bench-user",
        AgentId = "email-agent",
        StepId = step,
        Plugin = plugin,
        Action = action,
        Parameters = parameters,
        IdempotencyKey = ExecutionId + ":" + step,
    };

    private sealed class SearchExecutor(IPluginExecutor plugins) : Executor<string>("step1", options: null, declareCrossRunShareable: true)
    {
        private static readonly JsonElement s_parameters = JsonDocument.Parse("""{ "query": "is:unread newer_than:1d", "max_results": 20 }""").RootElement.Clone();

        protected override ProtocolBuilder ConfigureProtocol(ProtocolBuilder protocolBuilder) =>
            base.ConfigureProtocol(protocolBuilder).SendsMessage<(string, JsonElement)>();

        public override async ValueTask HandleAsync(string channel, IWorkflowContext context, CancellationToken cancellationToken = default)
        {
            var result = await plugins.ExecuteAsync(Call("step1", "google-mail", "search_emails", s_parameters), cancellationToken).ConfigureAwait(false);
            await context.SendMessageAsync((channel, result.Data.GetProperty("emails")), cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class SummariseExecutor(ILlmClient llm) : Executor<(string Channel, JsonElement Emails)>("step2", options: null, declareCrossRunShareable: true)
    {
        protected override ProtocolBuilder ConfigureProtocol(ProtocolBuilder protocolBuilder) =>
            base.ConfigureProtocol(protocolBuilder).SendsMessage<Digest>();

        public override async ValueTask HandleAsync((string Channel, JsonElement Emails) message, IWorkflowContext context, CancellationToken cancellationToken = default)
        {
            var reply = await llm.CompleteAsync(new LlmRequest
            {
                ExecutionId = ExecutionId,
                StepId = "step2",
                Prompt = "Summarise these emails in five bullet points:\n" + message.Emails.GetRawText(),
            }, cancellationToken).ConfigureAwait(false);
            await context.SendMessageAsync(new Digest(message.Channel, reply.Text ?? string.Empty), cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class JudgeExecutor(ILlmClient llm) : Executor<Digest>("step3", options: null, declareCrossRunShareable: true)
    {
        protected override ProtocolBuilder ConfigureProtocol(ProtocolBuilder protocolBuilder) =>
            base.ConfigureProtocol(protocolBuilder).SendsMessage<Digest>();

        public override async ValueTask HandleAsync(Digest digest, IWorkflowContext context, CancellationToken cancellationToken = default)
        {
            var reply = await llm.CompleteAsync(new LlmRequest
            {
                ExecutionId = ExecutionId,
                StepId = "step3",
                Prompt = "Is anything in this summary urgent? " + digest.Summary,
                Options = ["urgent", "normal"],
            }, cancellationToken).ConfigureAwait(false);
            await context.SendMessageAsync(digest with { Decision = reply.Text }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Posts the digest (step 4), or the alert when the judgement said urgent (step 5); returns whether it posted.</summary>
    private sealed class PostExecutor(string stepId, IPluginExecutor plugins, bool alert) : Executor<Digest, bool>(stepId, options: null, declareCrossRunShareable: true)
    {
        private readonly string _stepId = stepId;

        public override async ValueTask<bool> HandleAsync(Digest digest, IWorkflowContext context, CancellationToken cancellationToken = default)
        {
            if (alert && digest.Decision != "urgent")
            {
                return false;
            }

            var text = alert ? "Urgent mail waiting: " + digest.Summary : digest.Summary;
            var parameters = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["channel"] = digest.Channel, ["text"] = text });
            var result = await plugins.ExecuteAsync(Call(_stepId, "slack", "send_message", parameters), cancellationToken).ConfigureAwait(false);
            return result.Success;
        }
    }
}
