using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Planning;

/// <summary>A catalog that implements <see cref="IPluginArgumentValidator"/> has the step's arguments checked at plan time.</summary>
public class ArgumentValidationTests
{
    [Fact]
    public void Plan_LiteralTheValidatorRefuses_IsAnErrorAtTheArgumentsPath()
    {
        var catalog = new CheckingCatalog();

        var result = Workflows.Plan("""[ { "id": "s", "type": "action", "plugin": "calc", "action": "sum", "params": { "a": "abc", "b": 1 } } ]""", catalog);

        Assert.False(result.Succeeded);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.InvalidArgument, "s", "$[0].params.a"), (d.Code, d.StepId, d.Path));
        Assert.Contains("should be a number", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ValidatorSeesLiteralsByValueAndComputedArgumentsByNameOnly()
    {
        var catalog = new CheckingCatalog();

        var result = Workflows.Plan("""
            [ { "id": "first", "type": "action", "plugin": "calc", "action": "sum", "params": { "a": 1, "b": 2 } },
              { "id": "s", "type": "action", "plugin": "calc", "action": "sum",
                "params": { "a": "{{first.data}}", "b": 3, "label": "sum \\{{ literal" } } ]
            """, catalog);

        Assert.True(result.Succeeded, string.Join("; ", result.Diagnostics.Select(d => d.Message)));
        var seen = catalog.Seen[^1];
        Assert.Null(seen["a"]);
        Assert.Equal(3, seen["b"]!.Value.GetInt32());
        Assert.Equal("sum {{ literal", seen["label"]!.Value.GetString());
    }

    [Fact]
    public void Plan_ValidatorThatThrows_IsACatalogErrorOnTheStepNotAnException()
    {
        var catalog = new CheckingCatalog { Throw = true };

        var result = Workflows.Plan("""[ { "id": "s", "type": "action", "plugin": "calc", "action": "sum", "params": { "a": 1, "b": 2 } } ]""", catalog);

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((DiagnosticCodes.CatalogError, "s"), (d.Code, d.StepId));
    }

    /// <summary>A catalog with one action, <c>calc.sum</c>, whose contract wants numbers for <c>a</c> and <c>b</c>.</summary>
    private sealed class CheckingCatalog : IPluginCatalog, IPluginArgumentValidator
    {
        private readonly InMemoryPluginCatalog _inner = new(
        [
            new PluginDescriptor
            {
                Name = "calc",
                Actions =
                [
                    new PluginActionDescriptor
                    {
                        Name = "sum",
                        Parameters =
                        [
                            new PluginParameterDescriptor { Name = "a", Required = true },
                            new PluginParameterDescriptor { Name = "b", Required = true },
                            new PluginParameterDescriptor { Name = "label" },
                        ],
                    },
                ],
            },
        ]);

        public bool Throw { get; init; }

        public List<IReadOnlyDictionary<string, JsonElement?>> Seen { get; } = [];

        public bool TryGetPlugin(string name, [NotNullWhen(true)] out PluginDescriptor? plugin) => _inner.TryGetPlugin(name, out plugin);

        public IReadOnlyList<PluginArgumentProblem> ValidateArguments(string pluginName, string actionName, IReadOnlyDictionary<string, JsonElement?> arguments)
        {
            if (Throw)
            {
                throw new InvalidOperationException("schema store offline");
            }

            Seen.Add(arguments);
            return [.. arguments
                .Where(a => a.Key is "a" or "b" && a.Value is { ValueKind: not JsonValueKind.Number })
                .Select(a => new PluginArgumentProblem(a.Key, $"/{a.Key}: should be a number"))];
        }
    }
}
