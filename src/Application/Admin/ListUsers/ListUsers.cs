using AuthPlatform.Application.Admin.Common;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Domain.Users;
using FluentValidation;
using Mediator;

namespace AuthPlatform.Application.Admin.ListUsers;

/// <summary>Every user, or those whose address contains <see cref="Email"/>, a page at a time (SPEC section 8).</summary>
public sealed record ListUsersQuery(string? Email, int? Page, int? PageSize) : IQuery<Result<UserPage>>;

public sealed class ListUsersValidator : AbstractValidator<ListUsersQuery>
{
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 50;

    public ListUsersValidator()
    {
        RuleFor(q => q.Email).MaximumLength(User.MaxEmailLength).WithMessage($"The email fragment is at most {User.MaxEmailLength} characters long.")
            .Must(e => e is null || !e.Any(char.IsControl)).WithMessage("The email fragment holds no control characters.");
        RuleFor(q => q.Page).InclusiveBetween(1, 1_000_000).When(q => q.Page is not null).WithMessage("The page is 1 or more.");
        RuleFor(q => q.PageSize).InclusiveBetween(1, MaxPageSize).When(q => q.PageSize is not null)
            .WithMessage($"The page size is between 1 and {MaxPageSize}.");
    }
}

public sealed class ListUsersHandler(IUserReader reader, AdminUserViews views) : IQueryHandler<ListUsersQuery, Result<UserPage>>
{
    public async ValueTask<Result<UserPage>> Handle(ListUsersQuery query, CancellationToken cancellationToken)
    {
        var fragment = string.IsNullOrWhiteSpace(query.Email) ? null : EmailAddress.NormalizeForLookup(query.Email);
        var page = await reader.ListAsync(new UserFilter(fragment, query.Page ?? 1, query.PageSize ?? ListUsersValidator.DefaultPageSize), cancellationToken);
        return page with { Items = await views.WithLocksAsync(page.Items, cancellationToken) };
    }
}
