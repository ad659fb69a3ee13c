/*
 * chain.h - whole-chain queries: an engagement's chain as a tree with each
 * node's problems, and a vendor's exposure (every engagement in which it
 * appears at any depth).
 */
#ifndef ITAKU_CHAIN_H
#define ITAKU_CHAIN_H

struct req;

int chain_get(struct req *r);
int chain_exposure(struct req *r);

#endif
