"""The index the proposal lists read in their order (issue 9): a committee's proposals of a
term, newest submission first, so "staff see every proposal past the draft stage" and a member's
public list stop sorting the whole committee for each page.

Database only: the index is not declared in Proposal.Meta.indexes (that file belongs to the
model's owners); the model state does not know it, so makemigrations has nothing to add or drop.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AddIndex(
                    model_name="proposal",
                    index=models.Index(
                        fields=["committee", "term", "-submitted_at", "-id"],
                        name="proposal_list_order",
                    ),
                )
            ],
            state_operations=[],
        )
    ]
