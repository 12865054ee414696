using System.Diagnostics;
using System.Globalization;

namespace Orchestrator.Mcp.Connections;

/// <summary>
/// Finds the descendants of a process from <c>/proc</c> (Linux). Each is identified by its id and start time, so a process
/// id reused by the system after the server's child exited is never killed by mistake. Elsewhere nothing is found, and
/// only <see cref="Process.Kill(bool)"/> on a live launcher ends its tree.
/// </summary>
internal static class ProcessTree
{
    public static List<(int Id, string StartTime)> DescendantsOf(int root)
    {
        var result = new List<(int Id, string StartTime)>();
        if (!OperatingSystem.IsLinux())
        {
            return result;
        }

        var children = new Dictionary<int, List<(int Id, string StartTime)>>();
        string[] entries;
        try
        {
            entries = Directory.GetDirectories("/proc");
        }
        catch (IOException)
        {
            return result;
        }
        catch (UnauthorizedAccessException)
        {
            return result;
        }

        foreach (var entry in entries)
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && TryReadStat(id, out var parent, out var startTime))
            {
                if (!children.TryGetValue(parent, out var list))
                {
                    children[parent] = list = [];
                }

                list.Add((id, startTime));
            }
        }

        var pending = new Stack<int>();
        pending.Push(root);
        while (pending.Count > 0 && result.Count < 1024)
        {
            if (children.TryGetValue(pending.Pop(), out var list))
            {
                foreach (var child in list)
                {
                    result.Add(child);
                    pending.Push(child.Id);
                }
            }
        }

        return result;
    }

    /// <summary>Kills the process <paramref name="id"/> if it is still the one that started at <paramref name="startTime"/>.</summary>
    public static void Kill(int id, string startTime)
    {
        if (!TryReadStat(id, out _, out var current) || current != startTime)
        {
            return; // gone, or the id now belongs to another process
        }

        try
        {
            using var process = Process.GetProcessById(id);
            process.Kill();
        }
        catch (ArgumentException)
        {
            // Exited since.
        }
        catch (InvalidOperationException)
        {
            // Exited since.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not ours to kill.
        }
    }

    /// <summary>Reads the parent id and start time (fields 4 and 22) of <c>/proc/&lt;id&gt;/stat</c>.</summary>
    private static bool TryReadStat(int id, out int parent, out string startTime)
    {
        parent = 0;
        startTime = "";
        string stat;
        try
        {
            stat = File.ReadAllText("/proc/" + id.ToString(CultureInfo.InvariantCulture) + "/stat");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        // The command name (field 2) is in parentheses and may hold spaces: the fields after it start past the last ')'.
        var end = stat.LastIndexOf(')');
        if (end < 0)
        {
            return false;
        }

        var fields = stat[(end + 2)..].Split(' ');
        if (fields.Length < 20 || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out parent))
        {
            return false;
        }

        startTime = fields[19];
        return true;
    }
}
