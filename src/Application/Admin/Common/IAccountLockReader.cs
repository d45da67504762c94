namespace AuthPlatform.Application.Admin.Common;

/// <summary>
/// Reads whether accounts are locked out, from the attempt budgets (ADR 0012): an account is
/// locked while the budget of any client address, or its account-wide budget, is locked.
/// </summary>
public interface IAccountLockReader
{
    /// <summary>
    /// For each of these account keys (<see cref="AdminUserViews.AccountKey"/>) that is locked at
    /// <paramref name="now"/>, when its latest lock ends; accounts not locked are left out.
    /// </summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> LockedUntilAsync(IReadOnlyCollection<string> accounts, DateTimeOffset now, CancellationToken cancellationToken);
}
