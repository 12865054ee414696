using Orchestrator.Cli.Arguments;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Cli.Commands;

/// <summary><c>orchestrator schema</c>: prints the JSON Schema of workflow documents shipped in the core package.</summary>
internal sealed class SchemaCommand : ICliCommand
{
    /// <summary>The editor schema (every form the loader reads).</summary>
    public const string Editor = "editor";

    /// <summary>The strict variant for LLM structured output.</summary>
    public const string StructuredOutput = "structured-output";

    private static readonly OptionSpec[] s_options =
    [
        new("variant", "VARIANT", "editor (default): every form the loader reads; structured-output: the strict subset for LLM structured output.", [Editor, StructuredOutput]),
    ];

    public string Name => "schema";

    public string Usage => "orchestrator schema [--variant editor|structured-output]";

    public string Summary => "Prints the JSON Schema (draft 2020-12) of workflow documents, for editors or LLM structured output.";

    public IReadOnlyList<OptionSpec> Options => s_options;

    public ValueTask<int> ExecuteAsync(ParsedArguments arguments, CliConsole console, CancellationToken cancellationToken)
    {
        if (arguments.Positionals.Count != 0)
        {
            return ValueTask.FromResult(console.UsageError("'schema' takes no file.", Name));
        }

        console.Out.WriteLine(arguments["variant"] == StructuredOutput ? WorkflowSchema.StructuredOutputJson : WorkflowSchema.Json);
        return ValueTask.FromResult(ExitCodes.Success);
    }
}
