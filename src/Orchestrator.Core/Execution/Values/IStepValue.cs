using System.Text.Json;

namespace Orchestrator.Core.Execution.Values;

/// <summary>A step's output as references read it: <c>data</c>, <c>metadata.*</c>, <c>stepId</c>, <c>plugin</c>, <c>action</c>.</summary>
internal interface IStepValue
{
    /// <summary>The step's data (null when it was skipped).</summary>
    JsonElement Data { get; }

    /// <summary>A top-level field other than <c>data</c> (<c>metadata</c>, <c>stepId</c>, ...), or undefined.</summary>
    JsonElement GetField(string name);
}
