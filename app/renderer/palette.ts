// One colour per VM, the same in every panel.

const COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export class Palette {
  private readonly assigned = new Map<string, string>();

  constructor(names: readonly string[] = []) {
    names.forEach((name) => this.colour(name));
  }

  colour(vm: string): string {
    let colour = this.assigned.get(vm);
    if (colour === undefined) {
      colour = COLOURS[this.assigned.size % COLOURS.length];
      this.assigned.set(vm, colour);
    }
    return colour;
  }
}
