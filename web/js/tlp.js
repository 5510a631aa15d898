// tlp.js - the Traffic Light Protocol 2.0 levels as people need them to
// choose one: what each means for who may see the information
// (docs/sharing.md; the server decides, in tlp_may_see).
export const TLP = [
	['clear', 'TLP:CLEAR', 'Anyone, the public and anonymous feeds included.'],
	['green', 'TLP:GREEN', 'Any signed-in member of any organisation on this service, not the public.'],
	['amber', 'TLP:AMBER', 'Your organisation, the organisations and the members of the sharing groups you share it with.'],
	['amber+strict', 'TLP:AMBER+STRICT', 'As AMBER, and never passed on: not federated to partners, not re-shared.'],
	['red', 'TLP:RED', 'Only you and the users you name, not even your colleagues.'],
];

export const tlpName = (v) => (TLP.find((t) => t[0] === v) || [v, v ? `TLP:${v.toUpperCase()}` : ''])[1];
