using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Model;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Execution.Operations;

/// <summary>A scope with <c>input</c> and step outputs given as JSON, for operation tests.</summary>
internal sealed class TestScope : ValueScope
{
    private readonly JsonElement _inputs;
    private readonly Dictionary<string, IStepValue> _steps = new(StringComparer.Ordinal);

    public TestScope(string inputsJson = "{}") => _inputs = TestJson.Parse(inputsJson);

    public TestScope WithStep(string id, string dataJson)
    {
        _steps[id] = new FakeStepValue(TestJson.Parse(dataJson));
        return this;
    }

    public override bool TryResolveRoot(string name, out JsonElement value, out IStepValue? step)
    {
        step = null;
        value = default;
        if (name == "input")
        {
            value = _inputs;
            return true;
        }

        return _steps.TryGetValue(name, out step);
    }

    /// <summary>Loads one step written as JSON.</summary>
    public static TStep Step<TStep>(string stepJson)
        where TStep : WorkflowStep => Assert.IsType<TStep>(Workflows.Load("[" + stepJson + "]").Steps[0]);

    public static string Text(JsonElement value) => value.GetRawText();

    private sealed class FakeStepValue(JsonElement data) : IStepValue
    {
        public JsonElement Data { get; } = data;

        public JsonElement GetField(string name) => name == "metadata" ? TestJson.Parse("""{"success":true}""") : default;
    }
}
