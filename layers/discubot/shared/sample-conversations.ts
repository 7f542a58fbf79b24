// Conversations to try Discubot with before any source is connected ("New discussion" → Sample):
// typical threads whose asks, owners, dates and priorities every analyzer (the offline one too)
// picks up, and one with nothing to do.

export interface SampleConversation {
  id: string
  title: string
  text: string
}

export const SAMPLE_CONVERSATIONS: SampleConversation[] = [
  {
    id: 'checkout-bug',
    title: 'Checkout button hidden on mobile',
    text: `Maya: The checkout button is hidden behind the cookie banner on small screens. We lost a few orders yesterday.
Dana: Confirmed on iOS Safari, the banner overlaps the sticky footer.
Maya: @Dana can you fix the checkout button overlap on mobile? This is urgent.
Dana: On it, expect a fix this afternoon.
Lee: We should add a visual regression test for the checkout footer.
Maya: Agreed. @Lee please update the release notes by 2026-12-05.`,
  },
  {
    id: 'launch-checklist',
    title: 'Pricing page launch',
    text: `Priya: Launch of the new pricing page is on 2026-12-15. What is left?
Sam: The copy is final. The comparison table still shows the old limits.
Priya: @Sam can you update the comparison table with the new limits by 2026-12-10?
Noah: The old /plans URLs still get traffic from ads.
Priya: Good catch. @Noah please set up redirects from /plans before launch.
Sam: Action items:
- [ ] Translate the page into German (no rush)
- [ ] Ask legal to review the refund wording`,
  },
  {
    id: 'design-review',
    title: 'Onboarding illustration review',
    text: `Ines: New onboarding illustrations are in the Figma file, three variants.
Tom: I like variant B, the colors match the brand refresh.
Ines: Same. Variant C feels too busy.
Tom: Agreed, B it is. Nothing else from my side.`,
  },
]
