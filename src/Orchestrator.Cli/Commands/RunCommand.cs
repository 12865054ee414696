using System.Text.Json;
using Orchestrator.Cli.Arguments;
using Orchestrator.Cli.Output;
using Orchestrator.Cli.Scripting;
using Orchestrator.Core.Execution;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// <c>orchestrator run FILE</c>: a dry run of the workflow on the real orchestrator, with scripted plugins and LLM
/// standing in for the host's. Exit 0 only when the run succeeded.
/// </summary>
internal sealed class RunCommand : ICliCommand
{
    /// <summary>The user id every scripted plugin call receives.</summary>
    public const string UserId = "orchestrator-cli";

    /// <summary>The execution id of every dry run, so idempotency keys and output are the same from run to run.</summary>
    public const string ExecutionId = "dry-run";

    private static readonly OptionSpec[] s_options =
    [
        new("inputs", "FILE", "A JSON object with the workflow's input values."),
        new("config", "FILE", "A JSON object with the agent's configuration values, read by {{config.x}}."),
        new("plugins", "FILE", "Scripted plugin responses: {\"plugin.action\": [response, ...]}."),
        new("llm", "FILE", "Scripted LLM replies: {\"text in the prompt\": {\"text\": ..., \"input_tokens\": N, \"output_tokens\": N}}."),
        new("format", "FORMAT", "How to print the result: text (default), json, or timeline (a Mermaid Gantt chart of the steps: start, end, retries).", [OutputFormats.Text, OutputFormats.Json, OutputFormats.Timeline]),
    ];

    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the command.</summary>
    /// <param name="timeProvider">The clock of the orchestrator and of scripted delays.</param>
    public RunCommand(TimeProvider timeProvider) => _timeProvider = timeProvider;

    public string Name => "run";

    public string Usage => "orchestrator run FILE [--inputs FILE] [--config FILE] [--plugins FILE] [--llm FILE] [--format text|json|timeline]";

    public string Summary => "Dry-runs the workflow with scripted plugin responses and LLM replies; exit 0 when the run succeeds.";

    public IReadOnlyList<OptionSpec> Options => s_options;

    public async ValueTask<int> ExecuteAsync(ParsedArguments arguments, CliConsole console, CancellationToken cancellationToken)
    {
        if (arguments.Positionals.Count != 1)
        {
            return console.UsageError("Name exactly one workflow file to run.", Name);
        }

        var path = arguments.Positionals[0];
        var format = OutputFormats.Parse(arguments["format"]);
        var (planning, planExitCode) = await WorkflowPlanning.PlanAsync(path, console, cancellationToken).ConfigureAwait(false);
        if (planning is null)
        {
            return planExitCode;
        }

        var problems = new List<string>();
        using var inputs = await ReadAsync(arguments["inputs"], problems, cancellationToken).ConfigureAwait(false);
        using var config = await ReadAsync(arguments["config"], problems, cancellationToken).ConfigureAwait(false);
        using var pluginsFile = await ReadAsync(arguments["plugins"], problems, cancellationToken).ConfigureAwait(false);
        using var llmFile = await ReadAsync(arguments["llm"], problems, cancellationToken).ConfigureAwait(false);
        if (inputs is not null && inputs.RootElement.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{arguments["inputs"]}: the inputs must be a JSON object of input values.");
        }

        if (config is not null && config.RootElement.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{arguments["config"]}: the configuration must be a JSON object of values.");
        }

        var plugins = pluginsFile is null ? null : PluginScript.Read(pluginsFile.RootElement, arguments["plugins"]!, problems);
        var llm = llmFile is null ? null : LlmScript.Read(llmFile.RootElement, arguments["llm"]!, problems);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                console.Error.WriteLine("error: " + problem);
            }

            return ExitCodes.UsageError;
        }

        var name = planning.Plan?.Definition.Name ?? path;
        if (planning.Plan is not { } plan)
        {
            // The same answer the orchestrator gives a definition it cannot plan; the diagnostics are on standard error.
            var rejected = new WorkflowExecutionResult
            {
                ExecutionId = ExecutionId,
                Status = ExecutionStatus.Rejected,
                Steps = new Dictionary<string, StepResult>(),
                Usage = new ExecutionUsage(0, 0, 0),
                Error = $"The workflow cannot be planned: {planning.Diagnostics.Count(d => d.IsError)} errors (listed on standard error).",
                ErrorCode = "INVALID_WORKFLOW",
            };
            RunResultWriter.Write(console.Out, rejected, name, format);
            return ExitCodes.Failure;
        }

        var orchestrator = new WorkflowOrchestratorBuilder(new ScriptedPluginExecutor(plugins, _timeProvider), new ScriptedLlmClient(llm)).UseTimeProvider(_timeProvider).Build();
        var request = new WorkflowExecutionRequest
        {
            UserId = UserId,
            AgentId = plan.Definition.Id,
            ExecutionId = ExecutionId,
            Inputs = inputs?.RootElement ?? default,
            Config = config?.RootElement ?? default,
        };

        var result = await orchestrator.ExecuteAsync(plan, request, cancellationToken).ConfigureAwait(false);
        RunResultWriter.Write(console.Out, result, name, format);
        return result.Status == ExecutionStatus.Succeeded ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static async ValueTask<JsonDocument?> ReadAsync(string? path, List<string> problems, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return null;
        }

        var (document, error) = await InputFiles.ReadJsonAsync(path, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            problems.Add(error);
        }

        return document;
    }
}
