using System.Text.Json;

namespace Orchestrator.Core.Tests;

/// <summary>Small helpers for building JSON inputs in tests.</summary>
internal static class TestJson
{
    /// <summary>Parses JSON text into an element that outlives its document.</summary>
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Reads a fixture copied to the test output directory.</summary>
    public static string ReadFixture(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    /// <summary>Writes a value through its WriteTo method and returns the JSON text.</summary>
    public static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
