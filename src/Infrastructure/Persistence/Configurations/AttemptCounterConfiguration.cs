using AuthPlatform.Infrastructure.Persistence.Throttling;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthPlatform.Infrastructure.Persistence.Configurations;

public sealed class AttemptCounterConfiguration : IEntityTypeConfiguration<AttemptCounter>
{
    public void Configure(EntityTypeBuilder<AttemptCounter> builder)
    {
        builder.ToTable("attempt_counters");
        builder.HasKey(c => new { c.Account, c.Scope });
        builder.Property(c => c.Account).HasMaxLength(64);
        builder.Property(c => c.Scope).HasMaxLength(64);
    }
}
