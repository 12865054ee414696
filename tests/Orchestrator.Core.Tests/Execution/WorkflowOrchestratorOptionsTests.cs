using System.Collections;
using System.Reflection;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Usage;

namespace Orchestrator.Core.Tests.Execution;

/// <summary>
/// Pins that <c>HasSameRuntimeSettings</c> (which decides whether a run may reuse the built runtime) and <c>Snapshot</c>
/// (what one run keeps) cover every option, so an option added later cannot be forgotten in either: the settings are
/// found by reflection, not listed here.
/// </summary>
public class WorkflowOrchestratorOptionsTests
{
    /// <summary>
    /// Options deliberately left out of the comparison, with the reason. <c>Enabled</c> is the admin switch: it is read
    /// afresh at the start of every run and by <c>ResumeAsync</c>, and nothing in the runtime is built from it, so
    /// flipping it must not rebuild the step pipeline.
    /// </summary>
    private static readonly HashSet<string> NotRuntimeSettings = new(StringComparer.Ordinal) { "Enabled" };

    public static TheoryData<string> Settings()
    {
        var data = new TheoryData<string>();
        foreach (var (path, _) in FindSettings())
        {
            data.Add(path);
        }

        return data;
    }

    [Fact]
    public void Settings_FoundByReflection_IncludeTheTopLevelNestedAndCollectionOptions()
    {
        var paths = FindSettings().Select(s => s.Path).ToList();

        // Guards the reflection itself: if it stopped descending into the nested options, the theory below would pass on little.
        Assert.Contains("MaxParallelism", paths);
        Assert.Contains("Memory.TokenBudget", paths);
        Assert.Contains("Audit.RedactedKeys", paths);
        Assert.Contains("Limits.MaxStepsPerRun", paths);
        Assert.Contains("Pricing", paths);
        Assert.Contains("Enabled", paths);
    }

    [Fact]
    public void HasSameRuntimeSettings_TwoDefaultInstances_AreTheSame()
    {
        Assert.True(new WorkflowOrchestratorOptions().HasSameRuntimeSettings(new WorkflowOrchestratorOptions()));
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void HasSameRuntimeSettings_OneSettingChanged_NoticesItUnlessDeliberatelyExcluded(string path)
    {
        var original = new WorkflowOrchestratorOptions();
        var changed = new WorkflowOrchestratorOptions();
        FindSettings().Single(s => s.Path == path).Change(changed);

        var same = original.HasSameRuntimeSettings(changed);

        Assert.Equal(NotRuntimeSettings.Contains(path), same);
        Assert.Equal(same, changed.HasSameRuntimeSettings(original));
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Snapshot_OneSettingChanged_CopiesIt(string path)
    {
        var changed = new WorkflowOrchestratorOptions();
        FindSettings().Single(s => s.Path == path).Change(changed);

        var snapshot = changed.Snapshot();

        Assert.True(snapshot.HasSameRuntimeSettings(changed));
        Assert.Equal(changed.Enabled, snapshot.Enabled);
    }

    /// <summary>
    /// Every public option: settable properties of the options and of their nested option objects, and the
    /// collections they expose (changed by adding an entry).
    /// </summary>
    private static List<(string Path, Action<WorkflowOrchestratorOptions> Change)> FindSettings()
    {
        var settings = new List<(string, Action<WorkflowOrchestratorOptions>)>();
        Collect(typeof(WorkflowOrchestratorOptions), string.Empty, o => o, settings);
        return settings;
    }

    private static void Collect(Type type, string prefix, Func<WorkflowOrchestratorOptions, object> owner, List<(string, Action<WorkflowOrchestratorOptions>)> settings)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var path = prefix + property.Name;
            if (property.SetMethod is { IsPublic: true })
            {
                settings.Add((path, o =>
                {
                    var target = owner(o);
                    property.SetValue(target, Different(property.PropertyType, property.GetValue(target), path));
                }));
            }
            else if (property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(IDictionary<,>)
                && property.PropertyType.GetGenericArguments() is [var keyType, var valueType] && keyType == typeof(string))
            {
                settings.Add((path, o => ((IDictionary)property.GetValue(owner(o))!)["added"] = Different(valueType, null, path)));
            }
            else if (property.PropertyType == typeof(IList<string>))
            {
                settings.Add((path, o => ((IList<string>)property.GetValue(owner(o))!).Add("added")));
            }
            else if (property.PropertyType.IsClass && property.PropertyType.Namespace?.StartsWith("Orchestrator.Core", StringComparison.Ordinal) == true)
            {
                Collect(property.PropertyType, path + ".", o => property.GetValue(owner(o))!, settings);
            }
            else
            {
                Assert.Fail($"The option '{path}' ({property.PropertyType}) is neither settable nor a known collection: teach this test to change it.");
            }
        }
    }

    /// <summary>A value of <paramref name="type"/> that differs from <paramref name="current"/>.</summary>
    private static object Different(Type type, object? current, string path) => type switch
    {
        _ when type == typeof(bool) => !(bool)current!,
        _ when type == typeof(int) => (int)current! + 1,
        _ when type == typeof(long) => (long)current! + 1,
        _ when type == typeof(TimeSpan) => (TimeSpan)current! + TimeSpan.FromSeconds(1),
        _ when type == typeof(TimeSpan?) => ((TimeSpan?)current ?? TimeSpan.FromSeconds(1)) + TimeSpan.FromSeconds(1),
        _ when type == typeof(decimal?) => ((decimal?)current ?? 0m) + 1m,
        _ when type == typeof(string) => (string?)current + "-changed",
        _ when type == typeof(ModelPrice) => current is ModelPrice price ? price with { InputPerMillionTokens = price.InputPerMillionTokens + 1m } : new ModelPrice(1m, 2m),
        _ => throw new InvalidOperationException($"The option '{path}' has the type {type}, which this test cannot change yet: add it here."),
    };
}
