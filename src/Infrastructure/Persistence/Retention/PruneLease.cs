using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Infrastructure.Persistence.Retention;

/// <summary>
/// A lease row of <c>prune_leases</c>: the node (<see cref="Holder"/>) that may run the pass named
/// <see cref="Name"/> until <see cref="ExpiresAt"/>. Taken by one conditional statement, so that of
/// several nodes ticking together exactly one runs a pass; works alike on every provider.
/// </summary>
public sealed class PruneLease
{
    private PruneLease()
    {
    }

    public string Name { get; private set; } = string.Empty;

    public string Holder { get; private set; } = string.Empty;

    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>
    /// Takes the lease <paramref name="name"/> for <paramref name="holder"/> until <paramref name="now"/> +
    /// <paramref name="duration"/> when it is free (expired) or already <paramref name="holder"/>'s; false when
    /// another holder has it. The first taker of a name inserts its row; of two racing inserts the primary key refuses one.
    /// </summary>
    public static async Task<bool> TryTakeAsync(
        AuthDbContext db, DatabaseWriteGate gate, string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        var until = now + duration;
        var taken = await gate.WriteAsync(
            db,
            ct => db.PruneLeases.Where(l => l.Name == name && (l.ExpiresAt <= now || l.Holder == holder))
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresAt, until), ct),
            cancellationToken);
        if (taken == 1)
        {
            return true;
        }

        if (await db.PruneLeases.AnyAsync(l => l.Name == name, cancellationToken))
        {
            return false;
        }

        var lease = new PruneLease { Name = name, Holder = holder, ExpiresAt = until };
        db.PruneLeases.Add(lease);
        try
        {
            await gate.WriteAsync(db, ct => db.SaveChangesAsync(ct), cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another node inserted the row first: it holds the lease.
            db.Entry(lease).State = EntityState.Detached;
            return false;
        }
    }
}
