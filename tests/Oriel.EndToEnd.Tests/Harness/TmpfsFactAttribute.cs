namespace Oriel.EndToEnd.Tests.Harness;

/// <summary>A fact that needs to mount a tmpfs; skipped, saying why, where mounting is not permitted.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (TmpfsMount.Refusal is { } why)
        {
            Skip = why;
        }
    }
}
